// SPDX-License-Identifier: MIT
/*
 * Link extended state and substate names, as ethtool 6.1 prints them after
 * "Link detected: no (" (netlink/settings.c); unknown values print as
 * numbers there, NULL here.
 */
#include <stddef.h>

#include <linux/ethtool.h>

#include "print.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const states[] = {
	[ETHTOOL_LINK_EXT_STATE_AUTONEG] = "Autoneg",
	[ETHTOOL_LINK_EXT_STATE_LINK_TRAINING_FAILURE] =
		"Link training failure",
	[ETHTOOL_LINK_EXT_STATE_LINK_LOGICAL_MISMATCH] = "Logical mismatch",
	[ETHTOOL_LINK_EXT_STATE_BAD_SIGNAL_INTEGRITY] = "Bad signal integrity",
	[ETHTOOL_LINK_EXT_STATE_NO_CABLE] = "No cable",
	[ETHTOOL_LINK_EXT_STATE_CABLE_ISSUE] = "Cable issue",
	[ETHTOOL_LINK_EXT_STATE_EEPROM_ISSUE] = "EEPROM issue",
	[ETHTOOL_LINK_EXT_STATE_CALIBRATION_FAILURE] = "Calibration failure",
	[ETHTOOL_LINK_EXT_STATE_POWER_BUDGET_EXCEEDED] =
		"Power budget exceeded",
	[ETHTOOL_LINK_EXT_STATE_OVERHEAT] = "Overheat",
	[ETHTOOL_LINK_EXT_STATE_MODULE] = "Module",
};

static const char *const an[] = {
	[ETHTOOL_LINK_EXT_SUBSTATE_AN_NO_PARTNER_DETECTED] =
		"No partner detected",
	[ETHTOOL_LINK_EXT_SUBSTATE_AN_ACK_NOT_RECEIVED] = "Ack not received",
	[ETHTOOL_LINK_EXT_SUBSTATE_AN_NEXT_PAGE_EXCHANGE_FAILED] =
		"Next page exchange failed",
	[ETHTOOL_LINK_EXT_SUBSTATE_AN_NO_PARTNER_DETECTED_FORCE_MODE] =
		"No partner detected during force mode",
	[ETHTOOL_LINK_EXT_SUBSTATE_AN_FEC_MISMATCH_DURING_OVERRIDE] =
		"FEC mismatch during override",
	[ETHTOOL_LINK_EXT_SUBSTATE_AN_NO_HCD] = "No HCD",
};
static const char *const lt[] = {
	[ETHTOOL_LINK_EXT_SUBSTATE_LT_KR_FRAME_LOCK_NOT_ACQUIRED] =
		"KR frame lock not acquired",
	[ETHTOOL_LINK_EXT_SUBSTATE_LT_KR_LINK_INHIBIT_TIMEOUT] =
		"KR link inhibit timeout",
	[ETHTOOL_LINK_EXT_SUBSTATE_LT_KR_LINK_PARTNER_DID_NOT_SET_RECEIVER_READY] =
		"KR Link partner did not set receiver ready",
	[ETHTOOL_LINK_EXT_SUBSTATE_LT_REMOTE_FAULT] =
		"Remote side is not ready yet",
};
static const char *const llm[] = {
	[ETHTOOL_LINK_EXT_SUBSTATE_LLM_PCS_DID_NOT_ACQUIRE_BLOCK_LOCK] =
		"PCS did not acquire block lock",
	[ETHTOOL_LINK_EXT_SUBSTATE_LLM_PCS_DID_NOT_ACQUIRE_AM_LOCK] =
		"PCS did not acquire AM lock",
	[ETHTOOL_LINK_EXT_SUBSTATE_LLM_PCS_DID_NOT_GET_ALIGN_STATUS] =
		"PCS did not get align_status",
	[ETHTOOL_LINK_EXT_SUBSTATE_LLM_FC_FEC_IS_NOT_LOCKED] =
		"FC FEC is not locked",
	[ETHTOOL_LINK_EXT_SUBSTATE_LLM_RS_FEC_IS_NOT_LOCKED] =
		"RS FEC is not locked",
};
static const char *const bsi[] = {
	[ETHTOOL_LINK_EXT_SUBSTATE_BSI_LARGE_NUMBER_OF_PHYSICAL_ERRORS] =
		"Large number of physical errors",
	[ETHTOOL_LINK_EXT_SUBSTATE_BSI_UNSUPPORTED_RATE] = "Unsupported rate",
	[ETHTOOL_LINK_EXT_SUBSTATE_BSI_SERDES_REFERENCE_CLOCK_LOST] =
		"Serdes reference clock lost",
	[ETHTOOL_LINK_EXT_SUBSTATE_BSI_SERDES_ALOS] = "Serdes ALOS",
};
static const char *const ci[] = {
	[ETHTOOL_LINK_EXT_SUBSTATE_CI_UNSUPPORTED_CABLE] = "Unsupported cable",
	[ETHTOOL_LINK_EXT_SUBSTATE_CI_CABLE_TEST_FAILURE] =
		"Cable test failure",
};
static const char *const mod[] = {
	[ETHTOOL_LINK_EXT_SUBSTATE_MODULE_CMIS_NOT_READY] =
		"CMIS module is not in ModuleReady state",
};

static const char *pick(const char *const *t, size_t n, unsigned int v)
{
	return v < n ? t[v] : NULL;
}

const char *et_ext_state_name(unsigned int state)
{
	return pick(states, N(states), state);
}

const char *et_ext_substate_name(unsigned int state, unsigned int sub)
{
	switch (state) {
	case ETHTOOL_LINK_EXT_STATE_AUTONEG:
		return pick(an, N(an), sub);
	case ETHTOOL_LINK_EXT_STATE_LINK_TRAINING_FAILURE:
		return pick(lt, N(lt), sub);
	case ETHTOOL_LINK_EXT_STATE_LINK_LOGICAL_MISMATCH:
		return pick(llm, N(llm), sub);
	case ETHTOOL_LINK_EXT_STATE_BAD_SIGNAL_INTEGRITY:
		return pick(bsi, N(bsi), sub);
	case ETHTOOL_LINK_EXT_STATE_CABLE_ISSUE:
		return pick(ci, N(ci), sub);
	case ETHTOOL_LINK_EXT_STATE_MODULE:
		return pick(mod, N(mod), sub);
	default:
		return NULL;
	}
}
