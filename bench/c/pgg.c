/* The engine's decision loop written in C, for bench/engine.ts: the linear public
 * goods game (N, r, c) in a well-mixed population of Z agents with expected
 * payoffs, Fermi imitation (selection intensity beta), mutation mu, asynchronous
 * updating, revision rate 1. The same random stream as the engine (alea, seeded
 * by Mash from the same seed string, as in seedrandom) and the same initial
 * placement (a Fisher-Yates shuffle), so that the final counts must equal the
 * engine's; the bench checks that they do.
 *
 * usage: pgg Z rounds seed [warm]  ->  "<ns per decision> <cooperators at the end>",
 * the CPU time taken over `rounds` rounds played after `warm` untimed ones. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

static double s0, s1, s2, carry = 1, mash_n = 4022871197.0; /* 0xefc8249d */

static double mash(const char *data) { /* ASCII seeds: a char is its UTF-16 code */
  for (size_t i = 0; i < strlen(data); i++) {
    mash_n += (unsigned char)data[i];
    double h = 0.02519603282416938 * mash_n;
    mash_n = (double)(uint32_t)h;
    h -= mash_n;
    h *= mash_n;
    mash_n = (double)(uint32_t)h;
    h -= mash_n;
    mash_n += h * 4294967296.0;
  }
  return (double)(uint32_t)(uint64_t)mash_n * 2.3283064365386963e-10;
}

static inline double alea(void) {
  double t = 2091639 * s0 + carry * 2.3283064365386963e-10;
  s0 = s1;
  s1 = s2;
  carry = (double)(int32_t)t;
  return s2 = t - carry;
}

int main(int argc, char **argv) {
  if (argc != 4 && argc != 5) return fprintf(stderr, "usage: pgg Z rounds seed [warm]\n"), 2;
  const int Z = atoi(argv[1]);
  const long warm = argc == 5 ? atol(argv[4]) : 0, rounds = warm + atol(argv[2]);
  const double N = 5, r = 3, c = 1, beta = 1, mu = 0.01;
  s0 = mash(" "); s1 = mash(" "); s2 = mash(" ");
  s0 -= mash(argv[3]); if (s0 < 0) s0 += 1;
  s1 -= mash(argv[3]); if (s1 < 0) s1 += 1;
  s2 -= mash(argv[3]); if (s2 < 0) s2 += 1;
  /* strategy 0 = C, 1 = D: half each, placed by the engine's seeded shuffle */
  uint8_t *choice = calloc(Z, 1);
  int32_t *order = malloc(sizeof(int32_t) * Z), counts[2] = {0, 0};
  for (int a = 0; a < Z; a++) order[a] = a;
  for (int a = Z - 1; a > 0; a--) {
    int j = (int)floor(alea() * (a + 1)), t = order[a];
    order[a] = order[j]; order[j] = t;
  }
  for (int k = 0; k < Z; k++) choice[order[k]] = k < Z / 2 ? 0 : 1;
  counts[0] = Z / 2; counts[1] = Z - Z / 2;
#define PAYOFF(agent, s) ({ double co = ((N - 1) * (counts[0] - (choice[agent] == 0))) / (Z - 1); \
    (s) == 0 ? (r * c * (co + 1)) / N - c : (r * c * co) / N; })
  struct timespec t0, t1;
  for (long round = 0; round < rounds; round++) {
    if (round == warm) clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    for (int i = 0; i < Z; i++) {
      int a = (int)floor(alea() * Z), sa = choice[a], to;
      if (alea() < mu) {
        to = (int)floor(alea() * 2);
      } else {
        int b = (int)floor(alea() * (Z - 1));
        b += (uint32_t)(a - b - 1) >> 31; /* skip the focal agent */
        int sb = choice[b];
        if (sb == sa) to = sa;
        else {
          double pa = PAYOFF(a, sa), pb = PAYOFF(b, sb);
          to = alea() * (1 + exp(-beta * (pb - pa))) < 1 ? sb : sa;
        }
      }
      if (to != sa) { choice[a] = to; counts[sa]--; counts[to]++; }
    }
  }
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
  if (rounds == warm) t0 = t1;
  double ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
  printf("%.3f %d\n", rounds > warm ? ns / ((double)(rounds - warm) * Z) : 0, counts[0]);
  return 0;
}
