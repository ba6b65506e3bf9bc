export * from './dns-name';
export * from './rewrite-rule';
export * from './corefile';
export * from './server-block';
