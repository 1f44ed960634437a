// Old name of api_call.h, kept only for src/native/client.cpp (being rewritten elsewhere): delete once it includes core/api_call.h.
#pragma once

#include "api_call.h"
