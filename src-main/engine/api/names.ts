/** Names the server makes: generateName suffixes (apiserver pkg/storage/names). */
import { randomInt } from 'node:crypto';

// Consonants and digits without look-alikes, as the real generator uses, so names never spell words.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_NAME_LENGTH = 63;
const RANDOM_LENGTH = 5;
const MAX_GENERATED_NAME_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH;

export function randomSuffix(length = RANDOM_LENGTH): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** base truncated to 58 characters plus 5 random characters */
export function generateName(base: string): string {
  const b = base.length > MAX_GENERATED_NAME_LENGTH ? base.slice(0, MAX_GENERATED_NAME_LENGTH) : base;
  return b + randomSuffix();
}
