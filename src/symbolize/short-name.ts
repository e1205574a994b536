// jeprof's ShortFunctionName: drops argument lists, template arguments and the return type.
//   std::vector<int>::_M_realloc_insert<int const&>(...)  ->  std::vector::_M_realloc_insert
//   foo(int)<0000000000001189>                            ->  foo   (nm address tags go too)

const ARGS = /\([^()]*\)(\s*const)?/g;
const TEMPLATE_ARGS = /<[^<>]*>/g;
const LEADING_TYPE = /^.*\s+(\w+::)/;

/** Names repeat across a run's PCs (thousands of frames, a few hundred functions): each is shortened once. */
const memo = new Map<string, string>();
const MEMO_LIMIT = 100_000;

export function shortFunctionName(full: string): string {
  let short = memo.get(full);
  if (short === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    short = shorten(full);
    memo.set(full, short);
  }
  return short;
}

function shorten(full: string): string {
  let s = full;
  // Innermost groups first, until none is left, as jeprof's `while (s///g) {}`.
  for (let next = s.replace(ARGS, ''); next !== s; next = s.replace(ARGS, '')) s = next;
  for (let next = s.replace(TEMPLATE_ARGS, ''); next !== s; next = s.replace(TEMPLATE_ARGS, '')) s = next;
  return s.replace(LEADING_TYPE, '$1');
}
