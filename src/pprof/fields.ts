// The field numbers of profile.proto's messages, taken from the generated descriptors
// (gen/profile_pb.ts), for the streaming writer and reader that use @bufbuild/protobuf's
// BinaryWriter and BinaryReader without building message objects (to-pprof.ts, from-pprof.ts).
import type { DescField } from '@bufbuild/protobuf';
import {
  CompactLineSchema, CompactLocationSchema, CompactProfileSchema, CompactSampleSchema, FunctionSchema, JeprofTotalSchema, LabelSchema, MappingSchema, ValueTypeSchema,
} from './gen/profile_pb.js';

/** Field name -> field number, for one message. */
function numbers<K extends string>(fields: Record<K, DescField>): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const k of Object.keys(fields) as K[]) out[k] = fields[k].number;
  return out;
}

export const PROFILE = numbers(CompactProfileSchema.field);
export const SAMPLE = numbers(CompactSampleSchema.field);
export const LABEL = numbers(LabelSchema.field);
export const MAPPING = numbers(MappingSchema.field);
export const LOCATION = numbers(CompactLocationSchema.field);
export const LINE = numbers(CompactLineSchema.field);
export const FUNCTION = numbers(FunctionSchema.field);
export const VALUE_TYPE = numbers(ValueTypeSchema.field);
export const TOTAL = numbers(JeprofTotalSchema.field);
