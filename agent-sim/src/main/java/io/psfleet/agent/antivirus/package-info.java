/**
 * Other vendors' drivers that share a host with the sensor: an antivirus with a blocking policy,
 * written against the kernel model alone, loaded before or after the sensor.
 */
package io.psfleet.agent.antivirus;
