// Tests on real Kafka and FerretDB take as long as the machine makes them: a test that sets no
// timeout of its own gets five minutes, which only a hang exhausts (jest's default 5 s would make
// a slow or loaded machine fail tests that are correct).
import { jest } from '@jest/globals';

jest.setTimeout(300_000);
