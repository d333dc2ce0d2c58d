// Runs every test set of a pipeline artifact under onnxruntime-node and compares each output
// (Polygraphy's rule: an element fails only where both atol and rtol are exceeded).
const ort = require('onnxruntime-node');
const fs = require('fs');
const path = require('path');

function varint(buf, pos) { let x = 0n, shift = 0n; for (;;) { const b = buf[pos++]; x |= BigInt(b & 0x7f) << shift; if (!(b & 0x80)) return [x, pos]; shift += 7n; } }
function readTensor(file) {   // TensorProto: dims 1, data_type 2, name 8, raw_data 9
  const buf = fs.readFileSync(file); let pos = 0; const dims = []; let type = 0, name = '', raw = null;
  while (pos < buf.length) {
    let key; [key, pos] = varint(buf, pos); const field = Number(key >> 3n), wire = Number(key & 7n);
    if (wire === 0) { let v; [v, pos] = varint(buf, pos); if (field === 1) dims.push(Number(v)); if (field === 2) type = Number(v); }
    else if (wire === 2) { let len; [len, pos] = varint(buf, pos); len = Number(len); const bytes = buf.subarray(pos, pos + len); pos += len;
      if (field === 1) { let p = 0; while (p < bytes.length) { let v; [v, p] = varint(bytes, p); dims.push(Number(v)); } }
      if (field === 8) name = bytes.toString('utf8'); if (field === 9) raw = Buffer.from(bytes); }
    else throw new Error(`${file}: wire type ${wire} not expected`);
  }
  const copy = new Uint8Array(raw).buffer;
  if (type === 1) return { name, t: new ort.Tensor('float32', new Float32Array(copy), dims) };
  if (type === 7) return { name, t: new ort.Tensor('int64', new BigInt64Array(copy), dims) };
  throw new Error(`${file}: data type ${type}`);
}

(async () => {
  const dir = process.argv[2];
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json')));
  const { atol, rtol } = manifest.test_data;
  let failed = 0, outputs = 0;
  for (const set of manifest.test_data.sets) {
    const graphs = [...new Set(set.inputs.map(i => i.graph))];
    for (const g of graphs) {
      const file = manifest.graphs.find(x => x.name === g).file;
      const session = await ort.InferenceSession.create(path.join(dir, file), { logSeverityLevel: 2 });
      const feeds = {};
      for (const i of set.inputs.filter(i => i.graph === g)) feeds[i.tensor] = readTensor(path.join(dir, set.folder, i.file)).t;
      const expected = set.outputs.filter(o => o.graph === g);
      const got = await session.run(feeds, expected.map(o => o.tensor));
      for (const o of expected) {
        const want = readTensor(path.join(dir, set.folder, o.file)).t, have = got[o.tensor];
        let bad = 0, maxAbs = 0;
        for (let k = 0; k < want.data.length; k++) {
          const a = Number(have.data[k]), b = Number(want.data[k]), d = Math.abs(a - b);
          maxAbs = Math.max(maxAbs, d); if (d > atol && d > rtol * Math.abs(b)) bad++;
        }
        const shapeOk = have.dims.join(',') === want.dims.join(',');
        outputs++; if (bad || !shapeOk) failed++;
        console.log(`${set.folder} ${g}/${o.tensor} [${have.dims}] max abs ${maxAbs.toExponential(2)} ${bad || !shapeOk ? 'FAIL' : 'pass'}`);
      }
    }
  }
  console.log(`${outputs - failed} of ${outputs} outputs pass`);
  process.exit(failed ? 1 : 0);
})().catch(e => { console.error(e.message); process.exit(2); });
