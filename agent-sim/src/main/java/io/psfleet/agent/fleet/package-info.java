/**
 * Many hosts in one JVM: each host is a kernel, a sensor and a workload advancing on simulated
 * time; a small pool of worker threads moves them forward one tick at a time, and one publisher
 * thread sends each tick's events on in host order, so a seed gives the same stream every run.
 */
package io.psfleet.agent.fleet;
