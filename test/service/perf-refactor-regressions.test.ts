/**
 * Regressions of the performance refactor (36c0d79..): each test fails on the refactored code before its fix.
 * Modules are loaded fresh (jest.isolateModules) where a module-level memo is involved.
 */
describe('TkeIds after the performance refactor', () => {
  test('isSubnetId(undefined) is false before any subnet id was accepted (the memo starts empty)', () => {
    jest.isolateModules(() => {
      // GIVEN a fresh module
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { TkeIds } = require('../../src');
      // WHEN / THEN
      expect(TkeIds.isSubnetId(undefined)).toBe(false);
      expect(() => TkeIds.validateSubnetId(undefined, 'internalSubnetId')).toThrow("'internalSubnetId' must look like subnet-xxxxxxxx");
    });
  });

  test('isSubnetId of a String object is false after the same id was accepted as a string', () => {
    jest.isolateModules(() => {
      // GIVEN
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { TkeIds } = require('../../src');
      expect(TkeIds.isSubnetId('subnet-12345678')).toBe(true);
      // WHEN / THEN
      // eslint-disable-next-line no-new-wrappers
      expect(TkeIds.isSubnetId(new String('subnet-12345678'))).toBe(false);
    });
  });
});
