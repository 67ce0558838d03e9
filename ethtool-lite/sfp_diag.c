// SPDX-License-Identifier: MIT
/*
 * SFF-8472 digital diagnostics (A2h) in ethtool 6.1's words: current
 * values, alarm and warning flags, thresholds.  External calibration is
 * applied with the integer and float widths 6.1 uses, so that rounding
 * matches.  Pure: bytes in, text on stdout.  No libm: dBm comes from a
 * local log10 accurate to a few ulps.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sfp.h"

#define LWARN ET_SFF_LWARN
#define HWARN ET_SFF_HWARN
#define LALRM ET_SFF_LALRM
#define HALRM ET_SFF_HALRM
#define MCURR ET_SFF_MCURR
#define N_VAL ET_SFF_N_VAL

/* A2h offsets: the current value, then thresholds (high/low alarm,
 * high/low warning). */
#define A2_TEMP 96
#define A2_VCC 98
#define A2_BIAS 100
#define A2_TX 102
#define A2_RX 104
static const uint8_t thr_temp[4] = { 6, 4, 2, 0 }; /* by LWARN..HALRM */
#define THR(base, k) ((uint8_t)(thr_temp[k] + (base)))

struct flag {
	const char *name;
	uint8_t off, bit;
};

static const struct flag aw_flags[] = {
	{ "Laser bias current high alarm", 112, 3 },
	{ "Laser bias current low alarm", 112, 2 },
	{ "Laser bias current high warning", 116, 3 },
	{ "Laser bias current low warning", 116, 2 },
	{ "Laser output power high alarm", 112, 1 },
	{ "Laser output power low alarm", 112, 0 },
	{ "Laser output power high warning", 116, 1 },
	{ "Laser output power low warning", 116, 0 },
	{ "Module temperature high alarm", 112, 7 },
	{ "Module temperature low alarm", 112, 6 },
	{ "Module temperature high warning", 116, 7 },
	{ "Module temperature low warning", 116, 6 },
	{ "Module voltage high alarm", 112, 5 },
	{ "Module voltage low alarm", 112, 4 },
	{ "Module voltage high warning", 116, 5 },
	{ "Module voltage low warning", 116, 4 },
	{ "Laser rx power high alarm", 113, 7 },
	{ "Laser rx power low alarm", 113, 6 },
	{ "Laser rx power high warning", 117, 7 },
	{ "Laser rx power low warning", 117, 6 },
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* A C conversion of a double to a 16-bit field as 6.1's x86 build does
 * it (through a 32-bit int), without the undefined behaviour. */
static int32_t to_i32(double d)
{
	if (!(d > -2147483649.0 && d < 2147483648.0))
		return INT32_MIN;
	return (int32_t)d;
}

static void parse(const uint8_t *a2, struct et_sff_diag *d)
{
	unsigned int k;

	for (k = 0; k < MCURR; k++) {
		d->temp[k] = (int16_t)be16(a2 + THR(0, k));
		d->vcc[k] = be16(a2 + THR(8, k));
		d->bias[k] = be16(a2 + THR(16, k));
		d->tx[k] = be16(a2 + THR(24, k));
		d->rx[k] = be16(a2 + THR(32, k));
	}
	d->temp[MCURR] = (int16_t)be16(a2 + A2_TEMP);
	d->vcc[MCURR] = be16(a2 + A2_VCC);
	d->bias[MCURR] = be16(a2 + A2_BIAS);
	d->tx[MCURR] = be16(a2 + A2_TX);
	d->rx[MCURR] = be16(a2 + A2_RX);
}

/* Slope: unsigned fixed point 8.8; offset: signed 16 bits. */
static double slope(const uint8_t *p)
{
	return p[0] + p[1] / 256.;
}

static uint16_t cal16(uint16_t v, const uint8_t *cal)
{
	v = (uint16_t)to_i32(v * slope(cal));
	return (uint16_t)(v + (int16_t)be16(cal + 2));
}

static float befloat(const uint8_t *p)
{
	uint32_t u = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		     (uint32_t)p[2] << 8 | p[3];
	float f;

	memcpy(&f, &u, sizeof(f));
	return f;
}

static uint16_t cal_rx(uint16_t raw, const uint8_t *a2)
{
	float v = (float)(uint16_t)to_i32(befloat(a2 + 72));
	int k;

	/* 6.1 sums RX_PWR(1..3) * reading; RX_PWR(4) is left out */
	for (k = 68; k >= 60; k -= 4)
		v = (float)(uint16_t)to_i32(v + raw * befloat(a2 + k));
	return (uint16_t)to_i32(v);
}

/* SFF-8472 9.3, external calibration. */
static void calibrate(const uint8_t *a2, struct et_sff_diag *d)
{
	int16_t t;
	unsigned int k;

	for (k = 0; k < N_VAL; k++) {
		d->bias[k] = cal16(d->bias[k], a2 + 76);
		d->tx[k] = cal16(d->tx[k], a2 + 80);
		d->vcc[k] = cal16(d->vcc[k], a2 + 88);
		t = (int16_t)to_i32(d->temp[k] * slope(a2 + 84));
		d->temp[k] = (int16_t)(t + (int16_t)be16(a2 + 86));
		d->rx[k] = cal_rx(d->rx[k], a2);
	}
}

/* log10(@x) for 0 < x: reduced to [sqrt(1/2), sqrt(2)) by powers of 2,
 * then ln by the atanh series (x = 0: -inf). */
static double log10_(double x)
{
	static const double ln2_hi = 6.93147180369123816490e-01;
	static const double ln2_lo = 1.90821492927058770002e-10;
	double s, s2, term, sum;
	int e = 0, k;

	if (x == 0)
		return -INFINITY;
	if (x == 1e-3) /* exactly -3, so that 1 mW prints as 0.00 dBm */
		return -3.0;
	while (x < 0.70710678118654752440) {
		x *= 2;
		e--;
	}
	while (x > 1.41421356237309504880) {
		x /= 2;
		e++;
	}
	s = (x - 1) / (x + 1);
	s2 = s * s;
	term = s;
	sum = 0;
	for (k = 1; k < 60 && term != 0; k += 2) {
		sum += term / k;
		term *= s2;
	}
	return (e * ln2_lo + 2 * sum + e * ln2_hi) / 2.30258509299404568402;
}

void et_sff_pr_power(const char *name, uint16_t v)
{
	double mw = v / 10000.;

	et_sff_field(name);
	printf("%.4f mW / %.2f dBm\n", mw, 10. * log10_(mw / 1000.) + 30.);
}

void et_sff_pr_bias(const char *name, uint16_t v)
{
	et_sff_field(name);
	printf("%.3f mA\n", v / 500.);
}

void et_sff_pr_temp(const char *name, int16_t v)
{
	et_sff_field(name);
	printf("%.2f degrees C / %.2f degrees F\n", v / 256.,
	       v / 256. * 1.8 + 32.);
}

void et_sff_pr_vcc(const char *name, uint16_t v)
{
	et_sff_field(name);
	printf("%.4f V\n", v / 10000.);
}

static const char *const thr_lvl[4] = { "low warning", "high warning",
					"low alarm", "high alarm" };
static const uint8_t thr_order[4] = { HALRM, LALRM, HWARN, LWARN };
static const char *const thr_what[5] = { "Laser bias current",
					 "Laser output power",
					 "Module temperature", "Module voltage",
					 "Laser rx power" };

/* Threshold @o of quantity @i (thr_what order). */
static void threshold(const struct et_sff_diag *d, unsigned int i,
		      unsigned int o)
{
	char name[64];

	snprintf(name, sizeof(name), "%s %s threshold", thr_what[i],
		 thr_lvl[o]);
	switch (i) {
	case 0:
		et_sff_pr_bias(name, d->bias[o]);
		break;
	case 1:
		et_sff_pr_power(name, d->tx[o]);
		break;
	case 2:
		et_sff_pr_temp(name, d->temp[o]);
		break;
	case 3:
		et_sff_pr_vcc(name, d->vcc[o]);
		break;
	default:
		et_sff_pr_power(name, d->rx[o]);
		break;
	}
}

void et_sff_show_thresholds(const struct et_sff_diag *d)
{
	unsigned int i, k;

	for (i = 0; i < 5; i++)
		for (k = 0; k < 4; k++)
			threshold(d, i, thr_order[k]);
}

void et_sfp_show_diag(const uint8_t *a0, size_t a0_len, const uint8_t *a2,
		      size_t a2_len)
{
	uint8_t id[ET_SFP_PAGE], p2[ET_SFP_PAGE];
	struct et_sff_diag d;
	size_t i;

	memset(id, 0, sizeof(id));
	memcpy(id, a0, a0_len < sizeof(id) ? a0_len : sizeof(id));
	memset(p2, 0, sizeof(p2));
	memcpy(p2, a2, a2_len < sizeof(p2) ? a2_len : sizeof(p2));
	et_sff_field("Optical diagnostics support");
	if (!(id[92] & (1u << 6))) {
		printf("No\n");
		return;
	}
	printf("Yes\n");
	parse(p2, &d);
	if (id[92] & (1u << 4))
		calibrate(p2, &d);
	et_sff_pr_bias("Laser bias current", d.bias[MCURR]);
	et_sff_pr_power("Laser output power", d.tx[MCURR]);
	et_sff_pr_power(id[92] & (1u << 3)
				? "Receiver signal average optical power"
				: "Receiver signal OMA",
			d.rx[MCURR]);
	et_sff_pr_temp("Module temperature", d.temp[MCURR]);
	et_sff_pr_vcc("Module voltage", d.vcc[MCURR]);
	et_sff_field("Alarm/warning flags implemented");
	printf("%s\n", id[93] & 0x80 ? "Yes" : "No");
	if (!(id[93] & 0x80))
		return;
	for (i = 0; i < sizeof(aw_flags) / sizeof(aw_flags[0]); i++) {
		et_sff_field(aw_flags[i].name);
		printf("%s\n", p2[aw_flags[i].off] & (1u << aw_flags[i].bit)
				       ? "On"
				       : "Off");
	}
	et_sff_show_thresholds(&d);
}
