package io.psfleet.agent.kernel;

/** OB_POST_OPERATION_INFORMATION: the operation's status and the access the handle was granted. */
public record ObPostOperationInformation(
    ObOperation operation,
    boolean kernelHandle,
    KernelObject object,
    ObObjectType objectType,
    int returnStatus,
    int grantedAccess) {}
