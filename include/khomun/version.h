/**
 * @file khomun/version.h
 * Version of libkhomun and the khomun binary.
 */
#ifndef KHOMUN_VERSION_H
#define KHOMUN_VERSION_H

#define KHM_VERSION       "0.1.0"
#define KHM_VERSION_MAJOR 0
#define KHM_VERSION_MINOR 1
#define KHM_VERSION_PATCH 0
#define KHM_API_VERSION   "v1"

#endif
