/** A label or field selector that cannot be parsed or built; the API answers 400 BadRequest with its message. */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}
