/**
 * Running jobs on agents: the API a submitter uses ({@link io.sabot.cluster.JobCluster}, from
 * {@code JobManager.connect}) and the service interface its Kafka implementation provides.
 */
package io.sabot.cluster;
