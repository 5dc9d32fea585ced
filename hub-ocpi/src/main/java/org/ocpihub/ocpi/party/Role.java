package org.ocpihub.ocpi.party;

/** OCPI Role (TYP 16.6): what a party is; a platform hosts one or more of them. */
public enum Role {
    CPO, EMSP, HUB, NAP, NSP, OTHER, SCSP
}
