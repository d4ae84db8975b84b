{{/* Names and labels. */}}
{{- define "ptserver.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ptserver.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "ptserver.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ptserver.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ptserver.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "ptserver.labels" -}}
helm.sh/chart: {{ include "ptserver.chart" . }}
{{ include "ptserver.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: ptserver
app.kubernetes.io/part-of: rxrpc-spring
{{- end }}

{{- define "ptserver.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ptserver.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "ptserver.headlessName" -}}
{{- printf "%s-headless" (include "ptserver.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ptserver.dbSecretName" -}}
{{- default (printf "%s-db" (include "ptserver.fullname" .)) .Values.database.postgresql.existingSecret }}
{{- end }}

{{- define "ptserver.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/* The pod's grace period covers the preStop pause, the drain and the JVM's exit. */}}
{{- define "ptserver.terminationGracePeriodSeconds" -}}
{{- $s := .Values.shutdown }}
{{- $pre := ternary 0 (int $s.preStopSleepSeconds) (eq $s.preStopMode "none") }}
{{- add $pre (int $s.drainSeconds) (int $s.exitMarginSeconds) }}
{{- end }}

{{/*
Spring properties the chart owns: they follow from other values, so `config` may not set them.
One property per line, "name=value", in a stable order.
*/}}
{{- define "ptserver.ownedProperties" -}}
rxrpc.server.port={{ .Values.rx.port }}
rxrpc.server.max-backlog={{ .Values.rx.maxBacklog }}
rxrpc.server.socket-receive-buffer={{ .Values.rx.socketReceiveBuffer }}
rxrpc.server.socket-send-buffer={{ .Values.rx.socketSendBuffer }}
rxrpc.server.shutdown.abort-code={{ .Values.shutdown.abortCode }}
spring.lifecycle.timeout-per-shutdown-phase={{ .Values.shutdown.drainSeconds }}s
management.server.port={{ .Values.management.port }}
server.port={{ .Values.management.port }}
management.endpoint.health.probes.enabled=true
management.health.livenessstate.enabled=true
management.health.readinessstate.enabled=true
management.endpoints.web.exposure.include={{ ternary "health,info,prometheus" "health,info" .Values.metrics.enabled }}
management.prometheus.metrics.export.enabled={{ .Values.metrics.enabled }}
ptserver.data-dir={{ .Values.ptserver.dataDir }}
ptserver.noauth={{ .Values.ptserver.noauth }}
{{- if .Values.rxKeys.existingSecret }}
rxrpc.security.key-dir={{ .Values.rxKeys.mountPath }}
{{- end }}
{{- if eq .Values.database.type "postgresql" }}
spring.datasource.url={{ .Values.database.postgresql.url }}
spring.datasource.hikari.maximum-pool-size={{ .Values.database.postgresql.maximumPoolSize }}
{{- end }}
{{- end }}

{{/* Settings that the schema cannot express; each failure says what to change. */}}
{{- define "ptserver.validate" -}}
{{- $v := .Values }}
{{- $shared := eq $v.database.type "postgresql" }}
{{- if and (not $shared) (or (gt (int $v.replicaCount) 1) $v.autoscaling.enabled) }}
{{- fail "replicaCount > 1 or autoscaling.enabled needs a shared database: set database.type=postgresql and database.postgresql.url (the embedded H2 file lives in one pod's data volume)" }}
{{- end }}
{{- if and $shared (not $v.database.postgresql.url) }}
{{- fail "database.type=postgresql needs database.postgresql.url (jdbc:postgresql://host:5432/db)" }}
{{- end }}
{{- if and $shared (not $v.database.postgresql.existingSecret) (or (not $v.database.postgresql.username) (not $v.database.postgresql.password)) }}
{{- fail "database.type=postgresql needs database.postgresql.existingSecret, or both database.postgresql.username and database.postgresql.password" }}
{{- end }}
{{- if and (eq $v.workload "Deployment") $v.persistence.enabled (or (gt (int $v.replicaCount) 1) $v.autoscaling.enabled) }}
{{- fail "persistence.enabled with several Deployment replicas would share one ReadWriteOnce claim: use workload=StatefulSet (a claim per pod) or persistence.enabled=false" }}
{{- end }}
{{- if and (eq $v.workload "StatefulSet") $v.persistence.existingClaim }}
{{- fail "persistence.existingClaim is for workload=Deployment; a StatefulSet gets a claim per pod from persistence.size" }}
{{- end }}
{{- if and (ne $v.service.type "ClusterIP") (ne $v.service.type "NodePort") (ne $v.service.type "LoadBalancer") }}
{{- fail "service.type must be ClusterIP, NodePort or LoadBalancer" }}
{{- end }}
{{- if and (eq $v.service.type "ClusterIP") $v.service.nodePort }}
{{- fail "service.nodePort needs service.type=NodePort or LoadBalancer" }}
{{- end }}
{{- if and (eq $v.service.sessionAffinity "None") (or (gt (int $v.replicaCount) 1) $v.autoscaling.enabled) }}
{{- fail "service.sessionAffinity=None with several replicas sends one Rx connection's packets to different pods: keep ClientIP" }}
{{- end }}
{{- if eq (int $v.rx.port) (int $v.management.port) }}
{{- fail "rx.port and management.port must differ" }}
{{- end }}
{{- if and $v.autoscaling.enabled (gt (int $v.autoscaling.minReplicas) (int $v.autoscaling.maxReplicas)) }}
{{- fail "autoscaling.minReplicas must not exceed autoscaling.maxReplicas" }}
{{- end }}
{{- if and $v.metrics.serviceMonitor.enabled (not $v.metrics.enabled) }}
{{- fail "metrics.serviceMonitor.enabled needs metrics.enabled (the /actuator/prometheus endpoint)" }}
{{- end }}
{{- if and $v.metrics.serviceMonitor.enabled (not $v.management.service.enabled) }}
{{- fail "metrics.serviceMonitor.enabled needs management.service.enabled (the ServiceMonitor selects that Service)" }}
{{- end }}
{{- $owned := dict }}
{{- range (include "ptserver.ownedProperties" . | splitList "\n") }}
{{- $_ := set $owned (regexReplaceAll "=.*$" . "") true }}
{{- end }}
{{- range $k, $_ := $v.config }}
{{- if or (hasKey $owned $k) (hasPrefix "spring.datasource." $k) }}
{{- fail (printf "config.%s is set by the chart: use the chart's own value for it (rx.*, management.*, shutdown.*, ptserver.*, database.*, metrics.enabled)" $k) }}
{{- end }}
{{- end }}
{{- end }}
