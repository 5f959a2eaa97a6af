/*******************************************************************************
 * Version information for Eclipse Paho MQTT C.
 *******************************************************************************/

#ifndef VERSIONINFO_H
#define VERSIONINFO_H

#define BUILD_TIMESTAMP "2023-01-01T00:00:00Z"
#define CLIENT_VERSION  "1.3.12"

#define PAHO_MQTT_C_VERSION  "1.3.12"

#define PAHO_MQTT_C_VERSION_MAJOR  1
#define PAHO_MQTT_C_VERSION_MINOR  3
#define PAHO_MQTT_C_VERSION_PATCH  12
 
#endif /* VERSIONINFO_H */
