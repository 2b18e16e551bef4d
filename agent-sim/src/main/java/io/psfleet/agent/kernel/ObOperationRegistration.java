package io.psfleet.agent.kernel;

import java.util.Set;

/**
 * OB_OPERATION_REGISTRATION: the object type and operations watched and the pre and post routines
 * (either may be null, not both).
 */
public record ObOperationRegistration(
    ObObjectType objectType,
    Set<ObOperation> operations,
    PreOperationCallback preOperation,
    PostOperationCallback postOperation) {

  /** POB_PRE_OPERATION_CALLBACK; runs in the opening thread at IRQL &lt;= APC_LEVEL. */
  @FunctionalInterface
  public interface PreOperationCallback {
    void onPreOperation(ObPreOperationInformation info);
  }

  /** POB_POST_OPERATION_CALLBACK. */
  @FunctionalInterface
  public interface PostOperationCallback {
    void onPostOperation(ObPostOperationInformation info);
  }
}
