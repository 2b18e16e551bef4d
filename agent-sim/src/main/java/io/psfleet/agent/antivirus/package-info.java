/**
 * Other vendors' drivers that share a host with the sensor, written against the kernel model alone
 * and loaded before or after it: an antivirus with a blocking policy, and faulty drivers (a failing
 * DriverEntry, a routine called above its IRQL).
 */
package io.psfleet.agent.antivirus;
