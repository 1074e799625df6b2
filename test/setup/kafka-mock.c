/* A Kafka cluster for tests: librdkafka's mock cluster (in-process brokers speaking the Kafka
 * protocol). Prints the bootstrap servers on one line, then serves until stdin closes. A line
 * "<topic> <partitions>" on stdin creates a topic (the mock refuses CreateTopics requests); it
 * answers "created <topic>" or "error <topic>". */
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

int main(int argc, char **argv) {
  int brokers = argc > 1 ? atoi(argv[1]) : 3;
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (!rk) { fprintf(stderr, "rd_kafka_new: %s\n", errstr); return 1; }
  rd_kafka_mock_cluster_t *mcluster = rd_kafka_mock_cluster_new(rk, brokers);
  if (!mcluster) { fprintf(stderr, "rd_kafka_mock_cluster_new failed\n"); return 1; }
  printf("%s\n", rd_kafka_mock_cluster_bootstraps(mcluster));
  fflush(stdout);
  char line[512];
  while (fgets(line, sizeof(line), stdin)) {
    char topic[256];
    int partitions = 0;
    if (sscanf(line, "%255s %d", topic, &partitions) != 2 || partitions <= 0) continue;
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mcluster, topic, partitions, 1);
    printf("%s %s\n", err ? "error" : "created", topic);
    fflush(stdout);
  }
  rd_kafka_mock_cluster_destroy(mcluster);
  rd_kafka_destroy(rk);
  return 0;
}
