/*
 * dn_attr.c: the table of distinguished-name attribute types (dn_attr.h).
 */
#include "rspg/asn1/dn_attr.h"

#include <string.h>

#include "rspg/asn1/oid.h"

static const rspg_dn_attr attrs[] = {
    {"CN", RSPG_OID_AT_CN, RSPG_DER_UTF8STRING, 1},
    {"serialNumber", RSPG_OID_AT_SERIAL_NUMBER, RSPG_DER_PRINTABLESTRING, 1},
    {"C", RSPG_OID_AT_C, RSPG_DER_PRINTABLESTRING, 1},
    {"L", RSPG_OID_AT_L, RSPG_DER_UTF8STRING, 1},
    {"ST", RSPG_OID_AT_ST, RSPG_DER_UTF8STRING, 1},
    {"STREET", RSPG_OID_AT_STREET, RSPG_DER_UTF8STRING, 0},
    {"O", RSPG_OID_AT_O, RSPG_DER_UTF8STRING, 1},
    {"OU", RSPG_OID_AT_OU, RSPG_DER_UTF8STRING, 1},
    {"emailAddress", RSPG_OID_AT_EMAIL, RSPG_DER_IA5STRING, 1},
    {"DC", RSPG_OID_AT_DC, RSPG_DER_IA5STRING, 1},
    {"UID", RSPG_OID_AT_UID, RSPG_DER_UTF8STRING, 0},
};

const rspg_dn_attr *rspg_dn_attr_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
        if (strcmp(attrs[i].name, name) == 0)
            return &attrs[i];
    return NULL;
}

const rspg_dn_attr *rspg_dn_attr_by_oid(const rspg_der_tlv *oid)
{
    for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
        if (rspg_der_oid_is(oid, attrs[i].oid))
            return &attrs[i];
    return NULL;
}
