/*
 * match.h - matching one message against the loaded threat intelligence.
 */
#ifndef BW_INTEL_MATCH_H
#define BW_INTEL_MATCH_H

#include "findings.h"
#include "html/resources.h"
#include "intel/intel.h"
#include "mime/view.h"
#include "util/arena.h"

/*
 * Looks up every observable of the message: From, Sender, Reply-To and
 * Return-Path addresses and their domains; the IP addresses in Received
 * headers; every resource and link URL and its host; attachment hashes; the
 * subject. Adds `intel_match` (high) per indicator hit, `intel_attribution`
 * (high) per actor named by a hit, with its aliases, and `intel_suppressed`
 * (info) when a warninglist suppressed a hit. Returns BW_OK or BW_ENOMEM.
 */
int bw_intel_match_message(const bw_intel *intel, const bw_view *view, const bw_extraction *x,
                           bw_findings *findings, bw_arena *arena);

#endif
