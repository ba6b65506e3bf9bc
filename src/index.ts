export * from './tke';
export * from './checks';
export * from './ingress';
export * from './service';
export * from './coredns';
export * from './coredns-rewrite';
export * from './fix';
// The TkeServiceConfig L1 (the class and its generated `TkeServiceConfigSpec*` types), generated from
// crds/tkeserviceconfig.yaml by `npx projen import-crd` into ./tke/imports (do not edit it by hand). It
// is a submodule, as cdk8s-plus exports its L1 as `k8s`: `tkeconfig.TkeServiceConfig`.
export * as tkeconfig from './tke/imports/cloud.tencent.com';
