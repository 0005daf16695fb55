/**
 * The agent protocol: JSON bodies exchanged between the endpoint agent and the operator's agent
 * gateway ({@code /agent/v1/...}). Shared by both sides so they cannot drift apart; described for
 * third-party agent authors in docs/agent-protocol.md.
 */
package io.patchwarden.api.agent;
