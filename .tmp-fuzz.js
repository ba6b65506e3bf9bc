const { LoopbackChecker } = require('./lib');
const base = [
 {apiVersion:'v1',kind:'Service',metadata:{name:'web',namespace:'shop',annotations:{'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid':'subnet-12345678','ingress.cloud.tencent.com/tke-service-config':'cfg','service.cloud.tencent.com/direct-access':'true','cdk8s-tke-loopback/suppress':'TKE-L4-001=some long reason here','cdk8s-tke-loopback/clb-network':'private','service.kubernetes.io/tke-existed-lbid':'lb-12345678'}},spec:{type:'LoadBalancer',externalTrafficPolicy:'Local',selector:{app:'web'},ports:[{port:80,targetPort:8080}]}},
 {apiVersion:'apps/v1',kind:'Deployment',metadata:{name:'web',namespace:'shop'},spec:{selector:{matchLabels:{app:'web'}},template:{metadata:{labels:{app:'web'}},spec:{affinity:{podAntiAffinity:{requiredDuringSchedulingIgnoredDuringExecution:[{labelSelector:{matchExpressions:[{key:'app',operator:'In',values:['client']}]},topologyKey:'kubernetes.io/hostname'}],preferredDuringSchedulingIgnoredDuringExecution:[{weight:100,podAffinityTerm:{labelSelector:{matchLabels:{app:'web'}},topologyKey:'kubernetes.io/hostname'}}]}},containers:[{name:'c',image:'x'}]}}}},
 {apiVersion:'apps/v1',kind:'Deployment',metadata:{name:'client',namespace:'shop'},spec:{selector:{matchLabels:{app:'client'}},template:{metadata:{labels:{app:'client'}},spec:{containers:[{name:'c',image:'x',env:[{name:'URL',value:'http://a.oa.com'}]}]}}}},
 {apiVersion:'networking.k8s.io/v1',kind:'Ingress',metadata:{name:'ing',namespace:'shop',annotations:{'kubernetes.io/ingress.subnetId':'subnet-12345678','kubernetes.io/ingress.class':'','ingress.cloud.tencent.com/listen-ports':'[{"HTTP": 8080}]','ingress.cloud.tencent.com/tke-service-config':'cfg','kubernetes.io/ingress.existLbId':'lb-12345678','ingress.cloud.tencent.com/tke-service-config-auto':'true'}},spec:{ingressClassName:'qcloud',tls:[{hosts:['a.oa.com'],secretName:'s'}],rules:[{host:'a.oa.com',http:{paths:[{path:'/',backend:{service:{name:'web',port:{number:80}}}}]}}]}},
 {apiVersion:'cloud.tencent.com/v1alpha1',kind:'TkeServiceConfig',metadata:{name:'cfg',namespace:'shop'},spec:{loadBalancer:{l4Listeners:[{protocol:'TCP',port:80,healthCheck:{enable:true}}],l7Listeners:[{protocol:'HTTP',port:8080,keepaliveEnable:1,domains:[{domain:'a.oa.com',rules:[{url:'/',healthCheck:{enable:true}}]}]}]}}},
 {apiVersion:'v1',kind:'ConfigMap',metadata:{name:'coredns',namespace:'kube-system'},data:{Corefile:'.:53 {\n rewrite name regex (.*)\\.oa\\.com\\.$ {1}.example.com answer auto\n rewrite name a.oa.com web.shop.svc.cluster.local\n kubernetes cluster.local\n}\n'}},
 {apiVersion:'apps/v1',kind:'DaemonSet',metadata:{name:'kube-proxy',namespace:'kube-system'},spec:{template:{spec:{containers:[{name:'kube-proxy',image:'ccr.ccs.tencentyun.com/library/kube-proxy:v1.20.6-tke.12',args:['--proxy-mode=ipvs']}]}}}},
 {apiVersion:'v1',kind:'ConfigMap',metadata:{name:'kube-proxy',namespace:'kube-system'},data:{'config.conf':'mode: ipvs\n'}},
 {apiVersion:'v1',kind:'Pod',metadata:{name:'p',namespace:'shop',labels:{app:'web'}},spec:{containers:[{name:'c'}]}},
 {apiVersion:'apps/v1',kind:'StatefulSet',metadata:{name:'s',namespace:'shop'},spec:{selector:{matchLabels:{app:'web'}},template:{metadata:{labels:{app:'web'}}}}},
];
const weird = [null, undefined, 0, 1, -1, 1e308, NaN, '', 'x', true, false, [], [null], {}, {a:null}, [1,2], {'':1}, 'true', '[{"HTTP": 8080}', Object.create(null), {__proto__: null, toString: 1}, {constructor: 1}, ['x'], [[]], [{}]];
let seed = 1; const rnd = (n) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
const paths = [];
function collect(o, p) { paths.push(p); if (o && typeof o === 'object') for (const k of Object.keys(o)) collect(o[k], [...p, k]); }
base.forEach((b, i) => collect(b, [i]));
let crashes = 0; const seen = new Set();
for (let iter = 0; iter < 20000; iter++) {
  const objs = JSON.parse(JSON.stringify(base));
  for (let m = 0; m < 1 + rnd(3); m++) {
    const p = paths[rnd(paths.length)]; if (p.length === 1) { objs[p[0]] = weird[rnd(weird.length)]; continue; }
    let o = objs; for (const k of p.slice(0, -1)) { o = o?.[k]; if (o == null || typeof o !== 'object') break; }
    if (o && typeof o === 'object') o[p[p.length-1]] = weird[rnd(weird.length)];
  }
  for (const opts of [{}, {proxyMode: 'iptables', privateClbIds:['lb-12345678']}]) {
  try { LoopbackChecker.check(objs, opts); } catch (e) {
    const key = (e.stack||String(e)).split('\n').slice(0,3).join('|'); if (!seen.has(key)) { seen.add(key); console.log('CRASH', key); } crashes++; }
  }
}
console.log('crashes', crashes);
