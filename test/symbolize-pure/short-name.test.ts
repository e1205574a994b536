// Tests shortFunctionName (src/symbolize/short-name.ts) against the verified table of reference §5.6.
import { describe, expect, it } from 'vitest';
import { shortFunctionName } from '../../src/symbolize/short-name.js';

// Reference §5.6, with the elided `…` parts written out as GCC 12 / c++filt print them.
const TABLE: [string, string][] = [
  [
    'std::vector<int, std::allocator<int> >::_M_realloc_insert<int const&>(__gnu_cxx::__normal_iterator<int*, std::vector<int, std::allocator<int> > >, int const&)',
    'std::vector::_M_realloc_insert',
  ],
  ['operator new(unsigned long)', 'operator new'],
  ['operator new[](unsigned long)', 'operator new[]'],
  ['void* newImpl<false>(unsigned long)', 'void* newImpl'],
  ['(anonymous namespace)::do_malloc(unsigned long)', '::do_malloc'],
  ['void (anonymous namespace)::Worker::run()', 'void ::Worker::run'],
  ['ns::Holder<ns::Widget>::make() [clone .isra.0]', 'ns::Holder::make [clone .isra.0]'],
  ['Foo::bar(int) const', 'Foo::bar'],
  ['unsigned long bar<int>(int)', 'unsigned long bar'],
  ['int ns::foo<int>(int)', 'ns::foo'],
  ['std::map<int, int, std::less<int>, std::allocator<std::pair<int const, int> > >::operator[](int const&)', 'std::map::operator[]'],
  ['Foo::operator()(int)', 'Foo::operator'],
  ['std::function<void (int)>::operator()(int) const', 'std::function::operator'],
  ['main::{lambda(int)#1}::operator()(int) const', 'main::{lambda#1}::operator'],
  [
    'std::basic_ostream<char, std::char_traits<char> >& std::operator<< <std::char_traits<char> >(std::basic_ostream<char, std::char_traits<char> >&, char const*)',
    'std::operator<< ',
  ],
  ['bool operator< <int>(X<int> const&, X<int> const&)', 'bool operator< '],
  ['Foo::operator<(Foo const&) const', 'Foo::operator<'],
  ['std::unique_ptr<Foo, std::default_delete<Foo> >::~unique_ptr()', 'std::unique_ptr::~unique_ptr'],
  ['foo(int)<0000000000001189>', 'foo'],
  ['std::__throw_ios_failure(char const*, int)@@GLIBCXX_3.4.26<00000000000a0a67>', 'std::__throw_ios_failure@@GLIBCXX_3.4.26'],
  ['??', '??'],
  ['malloc', 'malloc'],
  ['0x00005555c628f355', '0x00005555c628f355'],
];

describe('shortFunctionName', () => {
  it.each(TABLE)('%s -> %s', (full, short) => {
    expect(shortFunctionName(full)).toBe(short);
  });

  it('strips an nm address tag from a plain C name', () => {
    expect(shortFunctionName('alloc_big<0000000000001189>')).toBe('alloc_big');
  });
});
