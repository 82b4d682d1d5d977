/**
 * Field maps for the Kubernetes protobuf messages this server decodes. Field numbers follow kubernetes'
 * go-to-protobuf output (staging/src/k8s.io/...):
 *   api/core/v1/generated.proto, api/apps/v1/generated.proto, api/autoscaling/v1/generated.proto,
 *   api/autoscaling/v2/generated.proto, apimachinery/pkg/apis/meta/v1/generated.proto,
 *   apimachinery/pkg/util/intstr/generated.proto, apimachinery/pkg/api/resource/generated.proto.
 * Fields are listed in the Go structs' (and so the JSON's) order. Anything not listed is skipped on decode.
 *
 * Each field is one string: `<number> <jsonName> <type>[flags]`.
 *   types: s string · b bool · i32 / i64 varint integers · y bytes (→ base64) · q resource.Quantity ·
 *          ios intstr.IntOrString · t metav1.Time · mss map<string,string> · msy map<string,bytes> ·
 *          msq map<string,Quantity> · any other word names a message below.
 *   flags: [] repeated · ? Go pointer (emit whenever present, even when zero) ·
 *          ! Go field without `omitempty` (emit zero values too) · ^ embedded struct inlined into its parent.
 * Without `?` or `!`, a zero scalar ("" / 0 / false) is dropped, as encoding/json's omitempty does: Go's
 * marshaller writes every non-pointer field, so presence on the wire says nothing for those.
 */

export type ScalarKind = 's' | 'b' | 'i32' | 'i64' | 'y' | 'q' | 'ios' | 't' | 'mss' | 'msy' | 'msq';

export interface FieldDef {
  num: number;
  name: string;
  kind: ScalarKind | 'msg';
  /** The message type when kind is 'msg'. */
  msg: string;
  repeated: boolean;
  pointer: boolean;
  keepZero: boolean;
  inline: boolean;
}

export interface MessageDef {
  name: string;
  fields: FieldDef[];
  byNum: Map<number, FieldDef>;
}

const SCALARS: ReadonlySet<string> = new Set<ScalarKind>(['s', 'b', 'i32', 'i64', 'y', 'q', 'ios', 't', 'mss', 'msy', 'msq']);

const LOCAL_REF = '1 localObjectReference LocalObjectReference^';

const MESSAGES: Record<string, readonly string[]> = {
  // ---------------------------------------------------------------- meta/v1
  ObjectMeta: [
    '1 name s',
    '2 generateName s',
    '3 namespace s',
    '4 selfLink s',
    '5 uid s',
    '6 resourceVersion s',
    '7 generation i64',
    '8 creationTimestamp t',
    '9 deletionTimestamp t',
    '10 deletionGracePeriodSeconds i64?',
    '11 labels mss',
    '12 annotations mss',
    '13 ownerReferences OwnerReference[]',
    '14 finalizers s[]',
    // 17 managedFields: server-owned, skipped.
  ],
  OwnerReference: ['5 apiVersion s!', '1 kind s!', '3 name s!', '4 uid s!', '6 controller b?', '7 blockOwnerDeletion b?'],
  LabelSelector: ['1 matchLabels mss', '2 matchExpressions LabelSelectorRequirement[]'],
  LabelSelectorRequirement: ['1 key s!', '2 operator s!', '3 values s[]'],

  // ---------------------------------------------------------------- core/v1: simple kinds
  Namespace: ['1 metadata ObjectMeta', '2 spec NamespaceSpec', '3 status NamespaceStatus'],
  NamespaceSpec: ['1 finalizers s[]'],
  NamespaceStatus: ['1 phase s', '2 conditions NamespaceCondition[]'],
  NamespaceCondition: ['1 type s!', '2 status s!', '4 lastTransitionTime t', '5 reason s', '6 message s'],
  ConfigMap: ['1 metadata ObjectMeta', '4 immutable b?', '2 data mss', '3 binaryData msy'],
  Secret: ['1 metadata ObjectMeta', '5 immutable b?', '2 data msy', '4 stringData mss', '3 type s'],
  ServiceAccount: [
    '1 metadata ObjectMeta',
    '2 secrets ObjectReference[]',
    '3 imagePullSecrets LocalObjectReference[]',
    '4 automountServiceAccountToken b?',
  ],
  ObjectReference: ['1 kind s', '2 namespace s', '3 name s', '4 uid s', '5 apiVersion s', '6 resourceVersion s', '7 fieldPath s'],
  LocalObjectReference: ['1 name s'],
  TypedLocalObjectReference: ['1 apiGroup s?', '2 kind s!', '3 name s!'],
  TypedObjectReference: ['1 apiGroup s?', '2 kind s!', '3 name s!', '4 namespace s?'],

  // ---------------------------------------------------------------- core/v1: Service
  Service: ['1 metadata ObjectMeta', '2 spec ServiceSpec', '3 status ServiceStatus'],
  ServiceSpec: [
    '1 ports ServicePort[]',
    '2 selector mss',
    '3 clusterIP s',
    '18 clusterIPs s[]',
    '4 type s',
    '5 externalIPs s[]',
    '7 sessionAffinity s',
    '8 loadBalancerIP s',
    '9 loadBalancerSourceRanges s[]',
    '10 externalName s',
    '11 externalTrafficPolicy s',
    '12 healthCheckNodePort i32',
    '13 publishNotReadyAddresses b',
    '14 sessionAffinityConfig SessionAffinityConfig',
    '19 ipFamilies s[]',
    '17 ipFamilyPolicy s?',
    '20 allocateLoadBalancerNodePorts b?',
    '21 loadBalancerClass s?',
    '22 internalTrafficPolicy s?',
    '23 trafficDistribution s?',
  ],
  ServicePort: ['1 name s', '2 protocol s', '6 appProtocol s?', '3 port i32!', '4 targetPort ios', '5 nodePort i32'],
  SessionAffinityConfig: ['1 clientIP ClientIPConfig'],
  ClientIPConfig: ['1 timeoutSeconds i32?'],
  ServiceStatus: ['1 loadBalancer LoadBalancerStatus'],
  LoadBalancerStatus: ['1 ingress LoadBalancerIngress[]'],
  LoadBalancerIngress: ['1 ip s', '2 hostname s', '3 ipMode s?', '4 ports PortStatus[]'],
  PortStatus: ['1 port i32!', '2 protocol s!', '3 error s?'],

  // ---------------------------------------------------------------- core/v1: Pod
  Pod: ['1 metadata ObjectMeta', '2 spec PodSpec', '3 status PodStatus'],
  PodTemplateSpec: ['1 metadata ObjectMeta', '2 spec PodSpec'],
  PodStatus: ['1 phase s', '3 message s', '4 reason s', '11 nominatedNodeName s', '5 hostIP s', '6 podIP s', '7 startTime t', '9 qosClass s'],
  PodSpec: [
    '1 volumes Volume[]',
    '20 initContainers Container[]',
    '2 containers Container[]',
    '3 restartPolicy s',
    '4 terminationGracePeriodSeconds i64?',
    '5 activeDeadlineSeconds i64?',
    '6 dnsPolicy s',
    '7 nodeSelector mss',
    '8 serviceAccountName s',
    '9 serviceAccount s',
    '21 automountServiceAccountToken b?',
    '10 nodeName s',
    '11 hostNetwork b',
    '12 hostPID b',
    '13 hostIPC b',
    '27 shareProcessNamespace b?',
    '14 securityContext PodSecurityContext',
    '15 imagePullSecrets LocalObjectReference[]',
    '16 hostname s',
    '17 subdomain s',
    '18 affinity Affinity',
    '19 schedulerName s',
    '22 tolerations Toleration[]',
    '23 hostAliases HostAlias[]',
    '24 priorityClassName s',
    '25 priority i32?',
    '26 dnsConfig PodDNSConfig',
    '28 readinessGates PodReadinessGate[]',
    '29 runtimeClassName s?',
    '30 enableServiceLinks b?',
    '31 preemptionPolicy s?',
    '32 overhead msq',
    '33 topologySpreadConstraints TopologySpreadConstraint[]',
    '35 setHostnameAsFQDN b?',
    '36 os PodOS',
    '37 hostUsers b?',
    '38 schedulingGates PodSchedulingGate[]',
    '40 resources ResourceRequirements',
    '41 hostnameOverride s?',
    // 34 ephemeralContainers (subresource only), 39 resourceClaims, 42 workloadRef: skipped.
  ],
  HostAlias: ['1 ip s', '2 hostnames s[]'],
  PodDNSConfig: ['1 nameservers s[]', '2 searches s[]', '3 options PodDNSConfigOption[]'],
  PodDNSConfigOption: ['1 name s', '2 value s?'],
  PodReadinessGate: ['1 conditionType s!'],
  PodSchedulingGate: ['1 name s!'],
  PodOS: ['1 name s!'],
  Toleration: ['1 key s', '2 operator s', '3 value s', '4 effect s', '5 tolerationSeconds i64?'],
  TopologySpreadConstraint: [
    '1 maxSkew i32!',
    '2 topologyKey s!',
    '3 whenUnsatisfiable s!',
    '4 labelSelector LabelSelector',
    '5 minDomains i32?',
    '6 nodeAffinityPolicy s?',
    '7 nodeTaintsPolicy s?',
    '8 matchLabelKeys s[]',
  ],
  Affinity: ['1 nodeAffinity NodeAffinity', '2 podAffinity PodAffinity', '3 podAntiAffinity PodAntiAffinity'],
  NodeAffinity: [
    '1 requiredDuringSchedulingIgnoredDuringExecution NodeSelector',
    '2 preferredDuringSchedulingIgnoredDuringExecution PreferredSchedulingTerm[]',
  ],
  NodeSelector: ['1 nodeSelectorTerms NodeSelectorTerm[]'],
  NodeSelectorTerm: ['1 matchExpressions NodeSelectorRequirement[]', '2 matchFields NodeSelectorRequirement[]'],
  NodeSelectorRequirement: ['1 key s!', '2 operator s!', '3 values s[]'],
  PreferredSchedulingTerm: ['1 weight i32!', '2 preference NodeSelectorTerm'],
  PodAffinity: [
    '1 requiredDuringSchedulingIgnoredDuringExecution PodAffinityTerm[]',
    '2 preferredDuringSchedulingIgnoredDuringExecution WeightedPodAffinityTerm[]',
  ],
  PodAntiAffinity: [
    '1 requiredDuringSchedulingIgnoredDuringExecution PodAffinityTerm[]',
    '2 preferredDuringSchedulingIgnoredDuringExecution WeightedPodAffinityTerm[]',
  ],
  PodAffinityTerm: [
    '1 labelSelector LabelSelector',
    '2 namespaces s[]',
    '3 topologyKey s!',
    '4 namespaceSelector LabelSelector',
    '5 matchLabelKeys s[]',
    '6 mismatchLabelKeys s[]',
  ],
  WeightedPodAffinityTerm: ['1 weight i32!', '2 podAffinityTerm PodAffinityTerm'],
  PodSecurityContext: [
    '1 seLinuxOptions SELinuxOptions',
    '8 windowsOptions WindowsSecurityContextOptions',
    '2 runAsUser i64?',
    '6 runAsGroup i64?',
    '3 runAsNonRoot b?',
    '4 supplementalGroups i64[]',
    '12 supplementalGroupsPolicy s?',
    '5 fsGroup i64?',
    '7 sysctls Sysctl[]',
    '9 fsGroupChangePolicy s?',
    '10 seccompProfile SeccompProfile',
    '11 appArmorProfile AppArmorProfile',
    '13 seLinuxChangePolicy s?',
  ],
  SecurityContext: [
    '1 capabilities Capabilities',
    '2 privileged b?',
    '3 seLinuxOptions SELinuxOptions',
    '10 windowsOptions WindowsSecurityContextOptions',
    '4 runAsUser i64?',
    '8 runAsGroup i64?',
    '5 runAsNonRoot b?',
    '6 readOnlyRootFilesystem b?',
    '7 allowPrivilegeEscalation b?',
    '9 procMount s?',
    '11 seccompProfile SeccompProfile',
    '12 appArmorProfile AppArmorProfile',
    '13 ulimits Ulimit[]',
  ],
  Capabilities: ['1 add s[]', '2 drop s[]'],
  SELinuxOptions: ['1 user s', '2 role s', '3 type s', '4 level s'],
  WindowsSecurityContextOptions: ['1 gmsaCredentialSpecName s?', '2 gmsaCredentialSpec s?', '3 runAsUserName s?', '4 hostProcess b?'],
  Sysctl: ['1 name s!', '2 value s!'],
  SeccompProfile: ['1 type s!', '2 localhostProfile s?'],
  AppArmorProfile: ['1 type s!', '2 localhostProfile s?'],
  Ulimit: ['1 name s!', '2 hard i64!', '3 soft i64!'],

  // ---------------------------------------------------------------- core/v1: Container
  Container: [
    '1 name s!',
    '2 image s',
    '3 command s[]',
    '4 args s[]',
    '5 workingDir s',
    '6 ports ContainerPort[]',
    '19 envFrom EnvFromSource[]',
    '7 env EnvVar[]',
    '8 resources ResourceRequirements',
    '23 resizePolicy ContainerResizePolicy[]',
    '24 restartPolicy s?',
    '9 volumeMounts VolumeMount[]',
    '21 volumeDevices VolumeDevice[]',
    '10 livenessProbe Probe',
    '11 readinessProbe Probe',
    '22 startupProbe Probe',
    '12 lifecycle Lifecycle',
    '13 terminationMessagePath s',
    '20 terminationMessagePolicy s',
    '14 imagePullPolicy s',
    '15 securityContext SecurityContext',
    '16 stdin b',
    '17 stdinOnce b',
    '18 tty b',
    // 25 restartPolicyRules (alpha): skipped.
  ],
  ContainerPort: ['1 name s', '2 hostPort i32', '3 containerPort i32!', '4 protocol s', '5 hostIP s'],
  ContainerResizePolicy: ['1 resourceName s!', '2 restartPolicy s!'],
  EnvFromSource: ['1 prefix s', '2 configMapRef ConfigMapEnvSource', '3 secretRef SecretEnvSource'],
  ConfigMapEnvSource: [LOCAL_REF, '2 optional b?'],
  SecretEnvSource: [LOCAL_REF, '2 optional b?'],
  EnvVar: ['1 name s!', '2 value s', '3 valueFrom EnvVarSource'],
  EnvVarSource: [
    '1 fieldRef ObjectFieldSelector',
    '2 resourceFieldRef ResourceFieldSelector',
    '3 configMapKeyRef ConfigMapKeySelector',
    '4 secretKeyRef SecretKeySelector',
    '5 fileKeyRef FileKeySelector',
  ],
  ObjectFieldSelector: ['1 apiVersion s', '2 fieldPath s!'],
  ResourceFieldSelector: ['1 containerName s', '2 resource s!', '3 divisor q'],
  ConfigMapKeySelector: [LOCAL_REF, '2 key s!', '3 optional b?'],
  SecretKeySelector: [LOCAL_REF, '2 key s!', '3 optional b?'],
  FileKeySelector: ['1 volumeName s!', '2 path s!', '3 key s!', '4 optional b?'],
  ResourceRequirements: ['1 limits msq', '2 requests msq', '3 claims ResourceClaim[]'],
  ResourceClaim: ['1 name s!', '2 request s'],
  VolumeMount: ['1 name s!', '2 readOnly b', '7 recursiveReadOnly s?', '3 mountPath s!', '4 subPath s', '5 mountPropagation s?', '6 subPathExpr s'],
  VolumeDevice: ['1 name s!', '2 devicePath s!'],
  Probe: [
    '1 handler ProbeHandler^',
    '2 initialDelaySeconds i32',
    '3 timeoutSeconds i32',
    '4 periodSeconds i32',
    '5 successThreshold i32',
    '6 failureThreshold i32',
    '7 terminationGracePeriodSeconds i64?',
  ],
  ProbeHandler: ['1 exec ExecAction', '2 httpGet HTTPGetAction', '3 tcpSocket TCPSocketAction', '4 grpc GRPCAction'],
  ExecAction: ['1 command s[]'],
  HTTPGetAction: ['1 path s', '2 port ios', '3 host s', '4 scheme s', '5 httpHeaders HTTPHeader[]'],
  HTTPHeader: ['1 name s!', '2 value s!'],
  TCPSocketAction: ['1 port ios', '2 host s'],
  GRPCAction: ['1 port i32!', '2 service s?'],
  Lifecycle: ['1 postStart LifecycleHandler', '2 preStop LifecycleHandler', '3 stopSignal s?'],
  LifecycleHandler: ['1 exec ExecAction', '2 httpGet HTTPGetAction', '3 tcpSocket TCPSocketAction', '4 sleep SleepAction'],
  SleepAction: ['1 seconds i64!'],

  // ---------------------------------------------------------------- core/v1: volumes
  Volume: ['1 name s!', '2 volumeSource VolumeSource^'],
  VolumeSource: [
    '1 hostPath HostPathVolumeSource',
    '2 emptyDir EmptyDirVolumeSource',
    '6 secret SecretVolumeSource',
    '7 nfs NFSVolumeSource',
    '10 persistentVolumeClaim PersistentVolumeClaimVolumeSource',
    '16 downwardAPI DownwardAPIVolumeSource',
    '19 configMap ConfigMapVolumeSource',
    '26 projected ProjectedVolumeSource',
    '28 csi CSIVolumeSource',
    '30 image ImageVolumeSource',
    // In-tree cloud/network volume plugins and ephemeral (29): skipped.
  ],
  HostPathVolumeSource: ['1 path s!', '2 type s?'],
  EmptyDirVolumeSource: ['1 medium s', '2 sizeLimit q'],
  SecretVolumeSource: ['1 secretName s', '2 items KeyToPath[]', '3 defaultMode i32?', '4 optional b?'],
  KeyToPath: ['1 key s!', '2 path s!', '3 mode i32?'],
  NFSVolumeSource: ['1 server s!', '2 path s!', '3 readOnly b'],
  PersistentVolumeClaimVolumeSource: ['1 claimName s!', '2 readOnly b'],
  DownwardAPIVolumeSource: ['1 items DownwardAPIVolumeFile[]', '2 defaultMode i32?'],
  DownwardAPIVolumeFile: ['1 path s!', '2 fieldRef ObjectFieldSelector', '3 resourceFieldRef ResourceFieldSelector', '4 mode i32?'],
  ConfigMapVolumeSource: [LOCAL_REF, '2 items KeyToPath[]', '3 defaultMode i32?', '4 optional b?'],
  ProjectedVolumeSource: ['1 sources VolumeProjection[]', '2 defaultMode i32?'],
  VolumeProjection: [
    '1 secret SecretProjection',
    '2 downwardAPI DownwardAPIProjection',
    '3 configMap ConfigMapProjection',
    '4 serviceAccountToken ServiceAccountTokenProjection',
  ],
  SecretProjection: [LOCAL_REF, '2 items KeyToPath[]', '4 optional b?'],
  ConfigMapProjection: [LOCAL_REF, '2 items KeyToPath[]', '4 optional b?'],
  DownwardAPIProjection: ['1 items DownwardAPIVolumeFile[]'],
  ServiceAccountTokenProjection: ['1 audience s', '2 expirationSeconds i64?', '3 path s!'],
  CSIVolumeSource: ['1 driver s!', '2 readOnly b?', '3 fsType s?', '4 volumeAttributes mss', '5 nodePublishSecretRef LocalObjectReference'],
  ImageVolumeSource: ['1 reference s', '2 pullPolicy s'],

  // ---------------------------------------------------------------- core/v1: PersistentVolumeClaim
  PersistentVolumeClaim: ['1 metadata ObjectMeta', '2 spec PersistentVolumeClaimSpec', '3 status PersistentVolumeClaimStatus'],
  PersistentVolumeClaimSpec: [
    '1 accessModes s[]',
    '4 selector LabelSelector',
    '2 resources VolumeResourceRequirements',
    '3 volumeName s',
    '5 storageClassName s?',
    '6 volumeMode s?',
    '7 dataSource TypedLocalObjectReference',
    '8 dataSourceRef TypedObjectReference',
    '9 volumeAttributesClassName s?',
  ],
  VolumeResourceRequirements: ['1 limits msq', '2 requests msq'],
  PersistentVolumeClaimStatus: ['1 phase s', '2 accessModes s[]', '3 capacity msq'],

  // ---------------------------------------------------------------- apps/v1
  Deployment: ['1 metadata ObjectMeta', '2 spec DeploymentSpec', '3 status DeploymentStatus'],
  DeploymentSpec: [
    '1 replicas i32?',
    '2 selector LabelSelector',
    '3 template PodTemplateSpec',
    '4 strategy DeploymentStrategy',
    '5 minReadySeconds i32',
    '6 revisionHistoryLimit i32?',
    '7 paused b',
    '9 progressDeadlineSeconds i32?',
    '10 podReplacementPolicy s?',
  ],
  DeploymentStrategy: ['1 type s', '2 rollingUpdate RollingUpdateDeployment'],
  RollingUpdateDeployment: ['1 maxUnavailable ios', '2 maxSurge ios'],
  DeploymentStatus: [
    '1 observedGeneration i64',
    '2 replicas i32',
    '3 updatedReplicas i32',
    '7 readyReplicas i32',
    '4 availableReplicas i32',
    '5 unavailableReplicas i32',
    '9 terminatingReplicas i32?',
    '6 conditions DeploymentCondition[]',
    '8 collisionCount i32?',
  ],
  DeploymentCondition: ['1 type s!', '2 status s!', '6 lastUpdateTime t', '7 lastTransitionTime t', '4 reason s', '5 message s'],
  ReplicaSet: ['1 metadata ObjectMeta', '2 spec ReplicaSetSpec', '3 status ReplicaSetStatus'],
  ReplicaSetSpec: ['1 replicas i32?', '4 minReadySeconds i32', '2 selector LabelSelector', '3 template PodTemplateSpec'],
  ReplicaSetStatus: [
    '1 replicas i32!',
    '2 fullyLabeledReplicas i32',
    '4 readyReplicas i32',
    '5 availableReplicas i32',
    '7 terminatingReplicas i32?',
    '3 observedGeneration i64',
    '6 conditions ReplicaSetCondition[]',
  ],
  ReplicaSetCondition: ['1 type s!', '2 status s!', '3 lastTransitionTime t', '4 reason s', '5 message s'],

  // ---------------------------------------------------------------- autoscaling/v1 and v2
  CrossVersionObjectReference: ['1 kind s!', '2 name s!', '3 apiVersion s'],
  HorizontalPodAutoscalerV1: ['1 metadata ObjectMeta', '2 spec HorizontalPodAutoscalerSpecV1', '3 status HorizontalPodAutoscalerStatusV1'],
  HorizontalPodAutoscalerSpecV1: [
    '1 scaleTargetRef CrossVersionObjectReference',
    '2 minReplicas i32?',
    '3 maxReplicas i32!',
    '4 targetCPUUtilizationPercentage i32?',
  ],
  HorizontalPodAutoscalerStatusV1: [
    '1 observedGeneration i64?',
    '2 lastScaleTime t',
    '3 currentReplicas i32!',
    '4 desiredReplicas i32!',
    '5 currentCPUUtilizationPercentage i32?',
  ],
  HorizontalPodAutoscalerV2: ['1 metadata ObjectMeta', '2 spec HorizontalPodAutoscalerSpecV2', '3 status HorizontalPodAutoscalerStatusV2'],
  HorizontalPodAutoscalerSpecV2: [
    '1 scaleTargetRef CrossVersionObjectReference',
    '2 minReplicas i32?',
    '3 maxReplicas i32!',
    '4 metrics MetricSpec[]',
    '5 behavior HorizontalPodAutoscalerBehavior',
  ],
  MetricSpec: [
    '1 type s!',
    '2 object ObjectMetricSource',
    '3 pods PodsMetricSource',
    '4 resource ResourceMetricSource',
    '7 containerResource ContainerResourceMetricSource',
    '5 external ExternalMetricSource',
  ],
  ObjectMetricSource: ['1 describedObject CrossVersionObjectReference', '2 target MetricTarget', '3 metric MetricIdentifier'],
  PodsMetricSource: ['1 metric MetricIdentifier', '2 target MetricTarget'],
  ResourceMetricSource: ['1 name s!', '2 target MetricTarget'],
  ContainerResourceMetricSource: ['1 name s!', '2 target MetricTarget', '3 container s!'],
  ExternalMetricSource: ['1 metric MetricIdentifier', '2 target MetricTarget'],
  MetricIdentifier: ['1 name s!', '2 selector LabelSelector'],
  MetricTarget: ['1 type s!', '2 value q', '3 averageValue q', '4 averageUtilization i32?'],
  HorizontalPodAutoscalerBehavior: ['1 scaleUp HPAScalingRules', '2 scaleDown HPAScalingRules'],
  HPAScalingRules: ['3 stabilizationWindowSeconds i32?', '1 selectPolicy s?', '2 policies HPAScalingPolicy[]', '4 tolerance q'],
  HPAScalingPolicy: ['1 type s!', '2 value i32!', '3 periodSeconds i32!'],
  HorizontalPodAutoscalerStatusV2: [
    '1 observedGeneration i64?',
    '2 lastScaleTime t',
    '3 currentReplicas i32',
    '4 desiredReplicas i32!',
    '6 conditions HorizontalPodAutoscalerCondition[]',
    // 5 currentMetrics: controller-owned status, skipped.
  ],
  HorizontalPodAutoscalerCondition: ['1 type s!', '2 status s!', '3 lastTransitionTime t', '4 reason s', '5 message s'],
};

/** Top-level kinds by `apiVersion/kind` (the envelope's TypeMeta) → their message. */
export const TOP_LEVEL_KINDS: Readonly<Record<string, string>> = {
  'v1/Namespace': 'Namespace',
  'v1/ConfigMap': 'ConfigMap',
  'v1/Secret': 'Secret',
  'v1/ServiceAccount': 'ServiceAccount',
  'v1/Service': 'Service',
  'v1/Pod': 'Pod',
  'v1/PersistentVolumeClaim': 'PersistentVolumeClaim',
  'apps/v1/Deployment': 'Deployment',
  'apps/v1/ReplicaSet': 'ReplicaSet',
  'autoscaling/v1/HorizontalPodAutoscaler': 'HorizontalPodAutoscalerV1',
  'autoscaling/v2/HorizontalPodAutoscaler': 'HorizontalPodAutoscalerV2',
};

const FIELD_RE = /^(\d+) ([A-Za-z][A-Za-z0-9]*) ([A-Za-z][A-Za-z0-9]*)((?:\[\]|[?!^])*)$/;

function parseField(owner: string, spec: string): FieldDef {
  const m = FIELD_RE.exec(spec);
  if (!m) throw new Error(`protobuf schema ${owner}: cannot parse field "${spec}"`);
  const [, num, name, type, flags] = m;
  const scalar = SCALARS.has(type);
  return {
    num: Number(num),
    name,
    kind: scalar ? (type as ScalarKind) : 'msg',
    msg: scalar ? '' : type,
    repeated: flags.includes('[]'),
    pointer: flags.includes('?'),
    keepZero: flags.includes('!'),
    inline: flags.includes('^'),
  };
}

/** Compile and cross-check the field maps; a mistake here is a programming error, caught at load time. */
function compile(specs: Record<string, readonly string[]>): Map<string, MessageDef> {
  const out = new Map<string, MessageDef>();
  for (const [name, fieldSpecs] of Object.entries(specs)) {
    const fields = fieldSpecs.map((s) => parseField(name, s));
    const byNum = new Map<number, FieldDef>();
    const names = new Set<string>();
    for (const f of fields) {
      if (byNum.has(f.num)) throw new Error(`protobuf schema ${name}: field number ${f.num} used twice`);
      if (names.has(f.name)) throw new Error(`protobuf schema ${name}: field name ${f.name} used twice`);
      if (f.inline && (f.kind !== 'msg' || f.repeated)) throw new Error(`protobuf schema ${name}.${f.name}: only a singular message can be inlined`);
      byNum.set(f.num, f);
      names.add(f.name);
    }
    out.set(name, { name, fields, byNum });
  }
  for (const def of out.values()) {
    for (const f of def.fields) {
      if (f.kind === 'msg' && !out.has(f.msg)) throw new Error(`protobuf schema ${def.name}.${f.name}: unknown message ${f.msg}`);
    }
  }
  assertAcyclic(out);
  return out;
}

/** The decoder recurses along the schema, so a cycle would let a crafted body nest without bound. */
function assertAcyclic(defs: Map<string, MessageDef>): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`protobuf schema: cycle ${[...path, name].join(' → ')}`);
    state.set(name, 'visiting');
    for (const f of defs.get(name)?.fields ?? []) if (f.kind === 'msg') visit(f.msg, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of defs.keys()) visit(name, []);
}

const COMPILED = compile(MESSAGES);

export function messageDef(name: string): MessageDef {
  const def = COMPILED.get(name);
  if (!def) throw new Error(`protobuf schema: no message ${name}`);
  return def;
}

export function allMessageDefs(): MessageDef[] {
  return [...COMPILED.values()];
}
