#!/usr/bin/env node
// Entry point: dist/cli/start.js runs the bundle (or tsc's output); all logic lives in dist/cli/main.js.
import { start } from '../dist/cli/start.js';

await start();
