const Ajv = require('ajv'); const fs=require('fs');
const schema = JSON.parse(fs.readFileSync('test/fixtures/sarif-2.1.0.json','utf8'));
const { $schema, id, ...rest } = schema;
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
const can=(s,b)=>{try{new URL(s,b);return true}catch{return false}};
ajv.addFormat('uri', (s) => /^[a-z][a-z0-9+.-]*:/i.test(s) && can(s));
ajv.addFormat('uri-reference', (s) => !/\s/.test(s) && can(s, 'file:///base/'));
ajv.addFormat('date-time', (s) => !Number.isNaN(Date.parse(s)));
const v = ajv.compile({ ...rest, $id: id });
for (const f of process.argv.slice(2)) { const d = JSON.parse(fs.readFileSync(f,'utf8')); console.log(f, v(d) ? 'valid' : JSON.stringify(v.errors).slice(0,1500)); }
