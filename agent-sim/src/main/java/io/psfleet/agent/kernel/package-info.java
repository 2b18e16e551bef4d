/**
 * A model of the Windows kernel's Process Structure (Ps) notification contract, one {@link
 * io.psfleet.agent.kernel.Kernel} per simulated host.
 *
 * <p>What is modelled, because a sensor written against the real kernel depends on it:
 * reference-counted process and thread objects whose ids come from one client-id table and are
 * reused only after the last reference goes; the three notify-routine lists with their limits and
 * status codes; callbacks raised in the documented thread context; a writable creation status; IRQL
 * bounds and the bug checks that punish breaking them.
 *
 * <p>What is not: scheduling, memory management beyond image bases, handles as such (a handle is a
 * reference), security checks other than code integrity of drivers. The package uses no Kafka and
 * no Avro; time is whatever the host's driver of the simulation sets with {@link
 * io.psfleet.agent.kernel.Kernel#advanceClockTo(long)}.
 *
 * <p>Processors: a host has several (two by default), each with its own IRQL, current thread and
 * attach state; the scheduler puts each thread on a processor chosen from its id, so a run is the
 * same every time. A host's kernel is driven by one Java thread at a time; beyond that, lookups,
 * references and dereferences may run on several processors at once from other Java threads ({@link
 * io.psfleet.agent.kernel.Kernel#runOnProcessor}): reference counts are atomic and exactly the last
 * release deletes an object. The notify-routine lists are safe for concurrent use too, because
 * removing a routine waits for the callbacks in flight. Drivers may queue work to a system worker
 * thread ({@link io.psfleet.agent.kernel.Kernel#exQueueWorkItem}).
 */
package io.psfleet.agent.kernel;
