import { describe, expect, it } from 'vitest';
import { duplicate, forbidden, invalid, notFound, notSupported, required, tooLong } from './field-errors';
import { goQuote, goStringMap } from './go-format';

describe('field error bodies', () => {
  it('words each cause type like field.Error', () => {
    expect(required('spec.x').message).toBe('Required value');
    expect(required('spec.x', 'why').message).toBe('Required value: why');
    expect(invalid('p', 'x', 'bad').message).toBe('Invalid value: "x": bad');
    expect(invalid('p', 70000, 'bad').message).toBe('Invalid value: 70000: bad');
    expect(notSupported('p', 'Sometimes', ['Always', 'Never']).message).toBe(
      'Unsupported value: "Sometimes": supported values: "Always", "Never"',
    );
    expect(duplicate('p', 'web')).toEqual({ type: 'FieldValueDuplicate', field: 'p', message: 'Duplicate value: "web"' });
    expect(forbidden('p', 'no').message).toBe('Forbidden: no');
    expect(tooLong('p', 10).message).toBe('Too long: must have at most 10 bytes');
    expect(notFound('p', 'vol').message).toBe('Not found: "vol"');
  });

  it('renders Go literals', () => {
    expect(goQuote('a"b\n')).toBe('"a\\"b\\n"');
    expect(goStringMap({ b: '2', a: '1' }).text).toBe('map[string]string{"a":"1", "b":"2"}');
    expect(goStringMap(undefined).text).toBe('map[string]string(nil)');
  });
});
