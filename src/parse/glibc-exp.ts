// glibc 2.36's exp() as x86-64 runs it on a CPU with FMA, bit for bit: the exp jeprof's Perl calls.
//
// A port of glibc's sysdeps/ieee754/dbl-64/e_exp.c, e_exp_data.c and math_config.h (Szabolcs
// Nagy's algorithm from ARM's optimized-routines): exp(x) = 2^(k/N) exp(r) with N = 128 and
// x = k ln2/N + r, |r| <= ln2/2N; 2^(k/N) comes from a table, exp(r) - 1 from a polynomial of
// order 5. V8's Math.exp is another algorithm and differs in the last bit for about 5% of inputs.
//
// Which build of that C file runs: libm.so.6 picks one at load time (an ifunc). On a CPU with FMA
// and AVX2 it is __exp_fma, the same source compiled with -mfma -mavx2, where GCC contracted
// a*b + c into fused multiply-adds that round once where the C text rounds twice. The objdump of
// __ieee754_exp_fma in Debian 12's libm shows which: the rounding to k, both steps of the
// reduction to r, the four steps of the polynomial and the final scale + scale*tmp are vfmadd;
// specialcase's subnormal branch multiplies and adds separately. Those places are marked "fused"
// below and emulated exactly by exact-fma.ts. The same C compiled without FMA rounds about 1
// result in 2,300 differently; test/parse/glibc-exp.test.ts checks us against this machine's libm.
import { fmaOfProduct, highHalf, productError, productErrorOfHalves } from './exact-fma.js';

// glibc's __exp_data. JavaScript has no hex float literals; each decimal is the same double as
// the hex value quoted (the same bytes as in libm.so.6).
/** N/ln2: 0x1.71547652b82fep0 * 128. */
const INV_LN2_N = 184.6649652337873;
/** -ln2/N, high part: -0x1.62e42fefa0000p-8. Its 36 bits make kd * it exact for |kd| < 2^17. */
const NEG_LN2_HI_N = -0.005415212348111709;
/** -ln2/N, low part: -0x1.cf79abc9e3b3ap-47. */
const NEG_LN2_LO_N = -1.2864023111638346e-14;
/** 0x1.8p52: adding it rounds a double of magnitude below 2^51 to an integer (ties to even). */
const SHIFT = 6755399441055744;
/** exp(r) - 1 ~ r + C2 r^2 + C3 r^3 + C4 r^4 + C5 r^5: 0x1.ffffffffffdbdp-2, 0x1.555555555543cp-3, 0x1.55555cf172b91p-5, 0x1.1111167a4d017p-7. */
const C2 = 0.49999999999996786;
const C3 = 0.16666666666665886;
const C4 = 0.0416666808410674;
const C5 = 0.008333335853059549;

/**
 * glibc's `tab`, as the uint64 bit patterns e_exp_data.c lists, two per k in [0, 128): tab[2k] is
 * the double T[k] and tab[2k+1] is the bits of H[k] minus (k << 45), where 2^(k/128) ~ H[k](1 + T[k]).
 */
const TAB = new BigUint64Array([
  0x0n, 0x3ff0000000000000n, 0x3c9b3b4f1a88bf6en, 0x3feff63da9fb3335n,
  0xbc7160139cd8dc5dn, 0x3fefec9a3e778061n, 0xbc905e7a108766d1n, 0x3fefe315e86e7f85n,
  0x3c8cd2523567f613n, 0x3fefd9b0d3158574n, 0xbc8bce8023f98efan, 0x3fefd06b29ddf6den,
  0x3c60f74e61e6c861n, 0x3fefc74518759bc8n, 0x3c90a3e45b33d399n, 0x3fefbe3ecac6f383n,
  0x3c979aa65d837b6dn, 0x3fefb5586cf9890fn, 0x3c8eb51a92fdeffcn, 0x3fefac922b7247f7n,
  0x3c3ebe3d702f9cd1n, 0x3fefa3ec32d3d1a2n, 0xbc6a033489906e0bn, 0x3fef9b66affed31bn,
  0xbc9556522a2fbd0en, 0x3fef9301d0125b51n, 0xbc5080ef8c4eea55n, 0x3fef8abdc06c31ccn,
  0xbc91c923b9d5f416n, 0x3fef829aaea92de0n, 0x3c80d3e3e95c55afn, 0x3fef7a98c8a58e51n,
  0xbc801b15eaa59348n, 0x3fef72b83c7d517bn, 0xbc8f1ff055de323dn, 0x3fef6af9388c8dean,
  0x3c8b898c3f1353bfn, 0x3fef635beb6fcb75n, 0xbc96d99c7611eb26n, 0x3fef5be084045cd4n,
  0x3c9aecf73e3a2f60n, 0x3fef54873168b9aan, 0xbc8fe782cb86389dn, 0x3fef4d5022fcd91dn,
  0x3c8a6f4144a6c38dn, 0x3fef463b88628cd6n, 0x3c807a05b0e4047dn, 0x3fef3f49917ddc96n,
  0x3c968efde3a8a894n, 0x3fef387a6e756238n, 0x3c875e18f274487dn, 0x3fef31ce4fb2a63fn,
  0x3c80472b981fe7f2n, 0x3fef2b4565e27cddn, 0xbc96b87b3f71085en, 0x3fef24dfe1f56381n,
  0x3c82f7e16d09ab31n, 0x3fef1e9df51fdee1n, 0xbc3d219b1a6fbffan, 0x3fef187fd0dad990n,
  0x3c8b3782720c0ab4n, 0x3fef1285a6e4030bn, 0x3c6e149289cecb8fn, 0x3fef0cafa93e2f56n,
  0x3c834d754db0abb6n, 0x3fef06fe0a31b715n, 0x3c864201e2ac744cn, 0x3fef0170fc4cd831n,
  0x3c8fdd395dd3f84an, 0x3feefc08b26416ffn, 0xbc86a3803b8e5b04n, 0x3feef6c55f929ff1n,
  0xbc924aedcc4b5068n, 0x3feef1a7373aa9cbn, 0xbc9907f81b512d8en, 0x3feeecae6d05d866n,
  0xbc71d1e83e9436d2n, 0x3feee7db34e59ff7n, 0xbc991919b3ce1b15n, 0x3feee32dc313a8e5n,
  0x3c859f48a72a4c6dn, 0x3feedea64c123422n, 0xbc9312607a28698an, 0x3feeda4504ac801cn,
  0xbc58a78f4817895bn, 0x3feed60a21f72e2an, 0xbc7c2c9b67499a1bn, 0x3feed1f5d950a897n,
  0x3c4363ed60c2ac11n, 0x3feece086061892dn, 0x3c9666093b0664efn, 0x3feeca41ed1d0057n,
  0x3c6ecce1daa10379n, 0x3feec6a2b5c13cd0n, 0x3c93ff8e3f0f1230n, 0x3feec32af0d7d3den,
  0x3c7690cebb7aafb0n, 0x3feebfdad5362a27n, 0x3c931dbdeb54e077n, 0x3feebcb299fddd0dn,
  0xbc8f94340071a38en, 0x3feeb9b2769d2ca7n, 0xbc87deccdc93a349n, 0x3feeb6daa2cf6642n,
  0xbc78dec6bd0f385fn, 0x3feeb42b569d4f82n, 0xbc861246ec7b5cf6n, 0x3feeb1a4ca5d920fn,
  0x3c93350518fdd78en, 0x3feeaf4736b527dan, 0x3c7b98b72f8a9b05n, 0x3feead12d497c7fdn,
  0x3c9063e1e21c5409n, 0x3feeab07dd485429n, 0x3c34c7855019c6ean, 0x3feea9268a5946b7n,
  0x3c9432e62b64c035n, 0x3feea76f15ad2148n, 0xbc8ce44a6199769fn, 0x3feea5e1b976dc09n,
  0xbc8c33c53bef4da8n, 0x3feea47eb03a5585n, 0xbc845378892be9aen, 0x3feea34634ccc320n,
  0xbc93cedd78565858n, 0x3feea23882552225n, 0x3c5710aa807e1964n, 0x3feea155d44ca973n,
  0xbc93b3efbf5e2228n, 0x3feea09e667f3bcdn, 0xbc6a12ad8734b982n, 0x3feea012750bdabfn,
  0xbc6367efb86da9een, 0x3fee9fb23c651a2fn, 0xbc80dc3d54e08851n, 0x3fee9f7df9519484n,
  0xbc781f647e5a3ecfn, 0x3fee9f75e8ec5f74n, 0xbc86ee4ac08b7db0n, 0x3fee9f9a48a58174n,
  0xbc8619321e55e68an, 0x3fee9feb564267c9n, 0x3c909ccb5e09d4d3n, 0x3feea0694fde5d3fn,
  0xbc7b32dcb94da51dn, 0x3feea11473eb0187n, 0x3c94ecfd5467c06bn, 0x3feea1ed0130c132n,
  0x3c65ebe1abd66c55n, 0x3feea2f336cf4e62n, 0xbc88a1c52fb3cf42n, 0x3feea427543e1a12n,
  0xbc9369b6f13b3734n, 0x3feea589994cce13n, 0xbc805e843a19ff1en, 0x3feea71a4623c7adn,
  0xbc94d450d872576en, 0x3feea8d99b4492edn, 0x3c90ad675b0e8a00n, 0x3feeaac7d98a6699n,
  0x3c8db72fc1f0eab4n, 0x3feeace5422aa0dbn, 0xbc65b6609cc5e7ffn, 0x3feeaf3216b5448cn,
  0x3c7bf68359f35f44n, 0x3feeb1ae99157736n, 0xbc93091fa71e3d83n, 0x3feeb45b0b91ffc6n,
  0xbc5da9b88b6c1e29n, 0x3feeb737b0cdc5e5n, 0xbc6c23f97c90b959n, 0x3feeba44cbc8520fn,
  0xbc92434322f4f9aan, 0x3feebd829fde4e50n, 0xbc85ca6cd7668e4bn, 0x3feec0f170ca07ban,
  0x3c71affc2b91ce27n, 0x3feec49182a3f090n, 0x3c6dd235e10a73bbn, 0x3feec86319e32323n,
  0xbc87c50422622263n, 0x3feecc667b5de565n, 0x3c8b1c86e3e231d5n, 0x3feed09bec4a2d33n,
  0xbc91bbd1d3bcbb15n, 0x3feed503b23e255dn, 0x3c90cc319cee31d2n, 0x3feed99e1330b358n,
  0x3c8469846e735ab3n, 0x3feede6b5579fdbfn, 0xbc82dfcd978e9db4n, 0x3feee36bbfd3f37an,
  0x3c8c1a7792cb3387n, 0x3feee89f995ad3adn, 0xbc907b8f4ad1d9fan, 0x3feeee07298db666n,
  0xbc55c3d956dcaeban, 0x3feef3a2b84f15fbn, 0xbc90a40e3da6f640n, 0x3feef9728de5593an,
  0xbc68d6f438ad9334n, 0x3feeff76f2fb5e47n, 0xbc91eee26b588a35n, 0x3fef05b030a1064an,
  0x3c74ffd70a5fddcdn, 0x3fef0c1e904bc1d2n, 0xbc91bdfbfa9298acn, 0x3fef12c25bd71e09n,
  0x3c736eae30af0cb3n, 0x3fef199bdd85529cn, 0x3c8ee3325c9ffd94n, 0x3fef20ab5fffd07an,
  0x3c84e08fd10959acn, 0x3fef27f12e57d14bn, 0x3c63cdaf384e1a67n, 0x3fef2f6d9406e7b5n,
  0x3c676b2c6c921968n, 0x3fef3720dcef9069n, 0xbc808a1883ccb5d2n, 0x3fef3f0b555dc3fan,
  0xbc8fad5d3ffffa6fn, 0x3fef472d4a07897cn, 0xbc900dae3875a949n, 0x3fef4f87080d89f2n,
  0x3c74a385a63d07a7n, 0x3fef5818dcfba487n, 0xbc82919e2040220fn, 0x3fef60e316c98398n,
  0x3c8e5a50d5c192acn, 0x3fef69e603db3285n, 0x3c843a59ac016b4bn, 0x3fef7321f301b460n,
  0xbc82d52107b43e1fn, 0x3fef7c97337b9b5fn, 0xbc892ab93b470dc9n, 0x3fef864614f5a129n,
  0x3c74b604603a88d3n, 0x3fef902ee78b3ff6n, 0x3c83c5ec519d7271n, 0x3fef9a51fbc74c83n,
  0xbc8ff7128fd391f0n, 0x3fefa4afa2a490dan, 0xbc8dae98e223747dn, 0x3fefaf482d8e67f1n,
  0x3c8ec3bc41aa2008n, 0x3fefba1bee615a27n, 0x3c842b94c3a9eb32n, 0x3fefc52b376bba97n,
  0x3c8a64a931d185een, 0x3fefd0765b6e4540n, 0xbc8e37bae43be3edn, 0x3fefdbfdad9cbe14n,
  0x3c77893b4d91cd9dn, 0x3fefe7c1819e90d8n, 0x3c5305c14160cc89n, 0x3feff3c22b8f71f1n,
]);

/** T[k] as doubles. */
const TAIL = new Float64Array(128);
/**
 * H[k], in [1, 2). glibc makes scale's bits as tab[2k+1] + (ki << 45) with k = ki mod 128: an
 * integer add that yields H[k]'s bits with ki >> 7 added to the exponent field. Adding k << 45
 * here, once, gives H[k]; the exponent part is then an exact multiplication by a power of two
 * (POW2) rather than bit surgery through a typed array on every call.
 */
const SCALE = new Float64Array(128);
/** POW2[e + 1022] = 2^e for each normal exponent e in [-1022, 1023], made from its bits. */
const POW2 = new Float64Array(2046);
{
  // Typed arrays use the platform's byte order, little-endian on every CPU Node supports here.
  const tabWords = new Uint32Array(TAB.buffer);
  const tails = new Float64Array(TAB.buffer);
  const words = new Uint32Array(2);
  const asDouble = new Float64Array(words.buffer);
  for (let k = 0; k < 128; k++) {
    TAIL[k] = tails[2 * k];
    // k << 45 has nothing in the low word (45 > 32), so only the high word changes: no carry.
    words[0] = tabWords[4 * k + 2];
    words[1] = tabWords[4 * k + 3] + (k << 13);
    SCALE[k] = asDouble[0];
  }
  words[0] = 0;
  for (let e = -1022; e <= 1023; e++) {
    words[1] = (e + 1023) << 20;
    POW2[e + 1022] = asDouble[0];
  }
}
const TWO_POW_MINUS_52 = POW2[-52 + 1022];
const TWO_POW_MINUS_53 = POW2[-53 + 1022];
const TWO_POW_MINUS_54 = POW2[-54 + 1022];
const TWO_POW_MINUS_58 = POW2[-58 + 1022];
const TWO_POW_1009 = POW2[1009 + 1022];
const TWO_POW_MINUS_1022 = POW2[0];

// Halves of the constants that fused products multiply by (exact-fma.ts).
const NEG_LN2_LO_N_HI = highHalf(NEG_LN2_LO_N);
const NEG_LN2_LO_N_LO = NEG_LN2_LO_N - NEG_LN2_LO_N_HI;
const C3_HI = highHalf(C3);
const C3_LO = C3 - C3_HI;
const C5_HI = highHalf(C5);
const C5_LO = C5 - C5_HI;

/**
 * glibc's exp(x): the same double, bit for bit, as Debian 12's libm on a CPU with FMA.
 *
 * Emulating each fused operation costs about 4 times the rest of the work, and almost never
 * matters: together they move tmp by less than 2^-59 (see the bound below), which changes the
 * final rounding only when scale (1 + tmp) lies that close to a rounding boundary. So the common
 * path runs glibc's steps with plain operations, proves from the bound that the fused ones would
 * round the same, and otherwise (about 1 call in 20) repeats the work with every fused step.
 */
export function glibcExp(x: number): number {
  const ax = Math.abs(x);
  // glibc tests the exponent bits (top12); comparing |x| with powers of two is the same test.
  // |x| below 2^-54, from 512 up, and NaN take glibc's special branches.
  if (!(ax >= TWO_POW_MINUS_54 && ax < 512)) return glibcExpFused(x);
  const kd = roundToK(x);
  const k = kd | 0;
  const idx = k & 127;
  // glibc's steps, each product rounded. The bound: |r| < 0.00271 and |tmp| < 2^-8, so every
  // rounding of r, tail + r and the two outer sums is within 2^-62 of the exact value, in either
  // version, and the rounding of kd * NEG_LN2_LO_N and the inner terms (scaled by r^2 < 2^-17)
  // add less than 2^-69: each version is within 4.02 * 2^-62 of the exact polynomial of the exact
  // r, so |tmp - glibc's tmp| < 1.01 * 2^-59.
  const r = x + kd * NEG_LN2_HI_N + kd * NEG_LN2_LO_N;
  const r2 = r * r;
  const tmp = TAIL[idx] + r + r2 * (C2 + r * C3) + r2 * r2 * (C4 + r * C5);
  const pow = POW2[(k >> 7) + 1022];
  const scale = SCALE[idx] * pow;
  // scale (1 + tmp) = s + t + (the product's error, below scale 2^-61), exactly (Fast2Sum).
  const p = scale * tmp;
  const s = scale + p;
  const t = scale - s + p;
  // glibc's exact scale (1 + tmp) is then within scale 2^-58 (> scale 1.26 * 2^-59) of s + t.
  // s is its rounding when that whole interval lies strictly inside s's rounding interval,
  // s +- half the gap to its neighbours. scale is in [pow, 2 pow) and |tmp| < 2^-8.
  const halfGap = s < pow ? pow * TWO_POW_MINUS_54 : s < 2 * pow ? pow * TWO_POW_MINUS_53 : pow * TWO_POW_MINUS_52;
  // At a power of two the gap below is half as wide: leave those to the fused path.
  if (Math.abs(t) + scale * TWO_POW_MINUS_58 < halfGap && s !== pow && s !== 2 * pow) return s;
  return glibcExpFused(x);
}

/** k = round(x N/ln2), fused as glibc does: (x * INV_LN2_N + SHIFT) - SHIFT. */
function roundToK(x: number): number {
  const z = x * INV_LN2_N;
  const kd = z + SHIFT - SHIFT;
  // Rounding the product first changes k only when it lands exactly on k + 1/2; then the
  // product's rounding error breaks the tie.
  const half = z - kd;
  if (half === 0.5 || half === -0.5) {
    const zError = productError(x, INV_LN2_N, z);
    if (zError !== 0 && zError > 0 === half > 0) return kd + 2 * half;
  }
  return kd;
}

/** glibc's exp with each of libm's fused multiply-adds emulated (exported for its test). */
export function glibcExpFused(x: number): number {
  const ax = Math.abs(x);
  let large = false;
  if (!(ax >= TWO_POW_MINUS_54 && ax < 512)) {
    // 1 + x rounds to 1 (or to its neighbour, at -2^-54), without a spurious underflow.
    if (ax < TWO_POW_MINUS_54) return 1 + x;
    if (!(ax < 1024)) {
      if (x === -Infinity) return 0;
      // NaN stays NaN, +Infinity stays +Infinity.
      if (!(ax < Infinity)) return 1 + x;
      // Past +-1024 the result is 0 or Infinity (__math_uflow, __math_oflow: these values, plus errno).
      return x < 0 ? 0 : Infinity;
    }
    // 512 <= |x| < 1024: the scale's exponent may leave the normal range (specialCase).
    large = true;
  }
  const kd = roundToK(x);

  // Fused twice: r = x + kd * NEG_LN2_HI_N + kd * NEG_LN2_LO_N. The first step is exact in glibc
  // (the sum cancels, Sterbenz), so rounding its product first changes nothing while the product
  // is exact too: for |kd| < 2^17, i.e. |x| < 512. Larger kd is split into two 9-bit parts, each
  // product exact and each sum a multiple of 2^-43 (ulp(x)) below 4, hence exact.
  let r: number;
  if (large) {
    const low = kd & 511;
    r = x + (kd - low) * NEG_LN2_HI_N + low * NEG_LN2_HI_N;
  } else {
    r = x + kd * NEG_LN2_HI_N;
  }
  // kd is an integer below 2^18, its own high half.
  const pLo = kd * NEG_LN2_LO_N;
  r = fmaOfProduct(pLo, productErrorOfHalves(kd, 0, NEG_LN2_LO_N_HI, NEG_LN2_LO_N_LO, pLo), r);

  const k = kd | 0;
  const idx = k & 127;
  // Fused four times: tmp = (tail + r) + r^2 (C2 + r C3) + r^4 (C4 + r C5), so that
  // exp(x) ~ scale (1 + tmp) with scale = H[idx] 2^(k >> 7).
  const rHi = highHalf(r);
  const rLo = r - rHi;
  const r3 = r * C3;
  const p23 = fmaOfProduct(r3, productErrorOfHalves(rHi, rLo, C3_HI, C3_LO, r3), C2);
  const r5 = r * C5;
  const p45 = fmaOfProduct(r5, productErrorOfHalves(rHi, rLo, C5_HI, C5_LO, r5), C4);
  const r2 = r * r;
  const q23 = p23 * r2;
  let tmp = fmaOfProduct(q23, productError(p23, r2, q23), TAIL[idx] + r);
  const r4 = r2 * r2;
  const q45 = r4 * p45;
  tmp = fmaOfProduct(q45, productError(r4, p45, q45), tmp);

  if (large) return specialCase(tmp, idx, k);
  return scalePlusScaleTimes(SCALE[idx] * POW2[(k >> 7) + 1022], tmp);
}

/** Fused: scale + scale * tmp rounded once. */
function scalePlusScaleTimes(scale: number, tmp: number): number {
  const p = scale * tmp;
  return fmaOfProduct(p, productError(scale, tmp, p), scale);
}

/**
 * glibc's specialcase for 512 <= |x| < 1024, where scale = H[idx] 2^(k >> 7) may be out of range:
 * it is built with its exponent moved by 1009 (k >= 0: the result may overflow) or by 1022 (k < 0:
 * the result may be subnormal or 0), and the power of two is applied at the end.
 */
function specialCase(tmp: number, idx: number, k: number): number {
  if (k >= 0) {
    const scale = SCALE[idx] * POW2[(k >> 7) - 1009 + 1022];
    return TWO_POW_1009 * scalePlusScaleTimes(scale, tmp);
  }
  const scale = SCALE[idx] * POW2[(k >> 7) + 1022 + 1022];
  // Not fused in libm: scale * tmp is used twice.
  const st = scale * tmp;
  let y = scale + st;
  if (y < 1) {
    // The result will be subnormal: round y to its final precision here, as a sum with 1, so that
    // scaling by 2^-1022 does not round a second time.
    let lo = scale - y + st;
    const hi = 1 + y;
    lo = 1 - hi + y + lo;
    y = hi + lo - 1;
    // glibc avoids -0 in downward rounding; harmless in ours.
    if (y === 0) y = 0;
  }
  return TWO_POW_MINUS_1022 * y;
}
