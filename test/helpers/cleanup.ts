// Set up before every test file (vitest setupFiles): its temp folders go when the file is done.
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dir.js';

afterAll(removeTempDirs);
