package io.psfleet.agent.kernel;

/** OB_OPERATION: a handle being created (open) or duplicated. */
public enum ObOperation {
  OB_OPERATION_HANDLE_CREATE,
  OB_OPERATION_HANDLE_DUPLICATE
}
