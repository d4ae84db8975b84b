{{/* The pod template shared by the Deployment and the StatefulSet. */}}
{{- define "ptserver.podTemplate" -}}
metadata:
  labels:
    {{- include "ptserver.labels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    # A change of the Spring properties or of the database secret rolls the pods.
    checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
    {{- if and (eq .Values.database.type "postgresql") (not .Values.database.postgresql.existingSecret) }}
    checksum/db-secret: {{ include (print $.Template.BasePath "/secret-db.yaml") . | sha256sum }}
    {{- end }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "ptserver.serviceAccountName" . }}
  automountServiceAccountToken: {{ .Values.serviceAccount.automountServiceAccountToken }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  # preStop pause + Spring's drain (spring.lifecycle.timeout-per-shutdown-phase) + the JVM's exit.
  terminationGracePeriodSeconds: {{ include "ptserver.terminationGracePeriodSeconds" . }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  containers:
    - name: ptserver
      image: {{ include "ptserver.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      args:
        - --spring.config.additional-location=optional:file:/etc/ptserver/config/
      ports:
        - name: afs3-prserver
          containerPort: {{ .Values.rx.port }}
          protocol: UDP
        - name: management
          containerPort: {{ .Values.management.port }}
          protocol: TCP
      env:
        - name: JAVA_TOOL_OPTIONS
          value: {{ printf "-XX:MaxRAMPercentage=%v -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp %s" .Values.jvm.maxRamPercentage .Values.jvm.extraOptions | trim | quote }}
        {{- if eq .Values.database.type "postgresql" }}
        - name: SPRING_DATASOURCE_USERNAME
          valueFrom:
            secretKeyRef:
              name: {{ include "ptserver.dbSecretName" . }}
              key: {{ .Values.database.postgresql.usernameKey }}
        - name: SPRING_DATASOURCE_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {{ include "ptserver.dbSecretName" . }}
              key: {{ .Values.database.postgresql.passwordKey }}
        {{- end }}
        {{- with .Values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with .Values.probes.startup }}
      {{- if .enabled }}
      startupProbe:
        {{- include "ptserver.probe" . | nindent 8 }}
      {{- end }}
      {{- end }}
      {{- with .Values.probes.liveness }}
      {{- if .enabled }}
      livenessProbe:
        {{- include "ptserver.probe" . | nindent 8 }}
      {{- end }}
      {{- end }}
      {{- with .Values.probes.readiness }}
      {{- if .enabled }}
      readinessProbe:
        {{- include "ptserver.probe" . | nindent 8 }}
      {{- end }}
      {{- end }}
      {{- if ne .Values.shutdown.preStopMode "none" }}
      lifecycle:
        preStop:
          {{- if eq .Values.shutdown.preStopMode "sleep" }}
          sleep:
            seconds: {{ .Values.shutdown.preStopSleepSeconds }}
          {{- else }}
          exec:
            command: ["/bin/sleep", {{ .Values.shutdown.preStopSleepSeconds | quote }}]
          {{- end }}
      {{- end }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      volumeMounts:
        - name: config
          mountPath: /etc/ptserver/config
          readOnly: true
        - name: data
          mountPath: {{ .Values.ptserver.dataDir }}
        - name: tmp
          mountPath: /tmp
        {{- if .Values.rxKeys.existingSecret }}
        - name: rx-keys
          mountPath: {{ .Values.rxKeys.mountPath }}
          readOnly: true
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ include "ptserver.fullname" . }}
    - name: tmp
      emptyDir:
        sizeLimit: {{ .Values.tmpSizeLimit }}
    {{- if not (and .Values.persistence.enabled (eq .Values.workload "StatefulSet")) }}
    - name: data
      {{- if .Values.persistence.enabled }}
      persistentVolumeClaim:
        claimName: {{ default (printf "%s-data" (include "ptserver.fullname" .)) .Values.persistence.existingClaim }}
      {{- else }}
      emptyDir: {}
      {{- end }}
    {{- end }}
    {{- if .Values.rxKeys.existingSecret }}
    - name: rx-keys
      secret:
        secretName: {{ .Values.rxKeys.existingSecret }}
        defaultMode: 0400
    {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{- define "ptserver.probe" -}}
httpGet:
  path: {{ .path }}
  port: management
initialDelaySeconds: {{ .initialDelaySeconds }}
periodSeconds: {{ .periodSeconds }}
timeoutSeconds: {{ .timeoutSeconds }}
failureThreshold: {{ .failureThreshold }}
successThreshold: {{ .successThreshold }}
{{- end }}
