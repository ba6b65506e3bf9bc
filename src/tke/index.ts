export * from './annotations';
export * from './ids';
export * from './kube-proxy-version';
