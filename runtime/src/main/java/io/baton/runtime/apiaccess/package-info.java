/**
 * Who may change state through a Baton process's HTTP API: bearer tokens read from files, each
 * granting one role, checked by Micronaut Security.
 */
package io.baton.runtime.apiaccess;
