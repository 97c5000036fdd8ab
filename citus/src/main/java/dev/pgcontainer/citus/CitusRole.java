package dev.pgcontainer.citus;

/** {@code CITUS_ROLE}: what a node is in its Citus cluster. */
public enum CitusRole {
  STANDALONE,
  COORDINATOR,
  WORKER
}
