export * from './types';
export * from './checker';
