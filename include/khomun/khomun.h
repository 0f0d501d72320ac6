/**
 * @file khomun/khomun.h
 * Umbrella header of libkhomun (ข้อมูล): include this, or only the module headers you use.
 */
#ifndef KHOMUN_KHOMUN_H
#define KHOMUN_KHOMUN_H

#include <khomun/access.h>
#include <khomun/alloc.h>
#include <khomun/arena.h>
#include <khomun/buf.h>
#include <khomun/catalog.h>
#include <khomun/err.h>
#include <khomun/gdc.h>
#include <khomun/hash.h>
#include <khomun/json.h>
#include <khomun/log.h>
#include <khomun/rand.h>
#include <khomun/receipt.h>
#include <khomun/ropa.h>
#include <khomun/scan.h>
#include <khomun/segment.h>
#include <khomun/setup.h>
#include <khomun/span.h>
#include <khomun/store.h>
#include <khomun/time.h>
#include <khomun/utf8.h>
#include <khomun/version.h>

#endif
