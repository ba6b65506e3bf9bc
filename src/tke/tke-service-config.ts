// The TkeServiceConfig L1 is generated from crds/tkeserviceconfig.yaml by `npx projen import-crd`
// into ./imports (do not edit it by hand). This file re-exports it as part of the public API.
export * from './imports/cloud.tencent.com';
