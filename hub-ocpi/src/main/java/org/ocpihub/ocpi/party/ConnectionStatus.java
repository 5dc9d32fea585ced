package org.ocpihub.ocpi.party;

/** Connection status of a party as Hub Client Info announces it (HCI 15.5.1). */
public enum ConnectionStatus {
    CONNECTED, OFFLINE, PLANNED, SUSPENDED
}
