export * from './tke';
export * from './checks';
export * from './coredns';
export * from './coredns-rewrite';
