import type { BaseKind } from './base-images.js';

export const IMAGE_NAMES = ['access-control-service', 'agent-service', 'web'] as const;
export type ImageName = (typeof IMAGE_NAMES)[number];

/** One image: the workspace package it ships, its base and the port it listens on. */
export interface ImageSpec {
  readonly name: ImageName;
  /** Workspace package name (`pnpm deploy` input) and folder holding its Containerfile. */
  readonly packageName: string;
  readonly packageDir: string;
  readonly base: BaseKind;
  /** Default container port (the chart's default too). */
  readonly port: number;
}

export const IMAGES: Readonly<Record<ImageName, ImageSpec>> = {
  'access-control-service': {
    name: 'access-control-service',
    packageName: '@agentauth/access-control-service',
    packageDir: 'packages/access-control-service',
    base: 'node',
    port: 9096,
  },
  'agent-service': {
    name: 'agent-service',
    packageName: '@agentauth/agent-service',
    packageDir: 'packages/agent-service',
    base: 'node',
    port: 3001,
  },
  web: {
    name: 'web',
    packageName: '@agentauth/web',
    packageDir: 'packages/web',
    base: 'nginx',
    port: 8080,
  },
};

/**
 * The repository of an image: `<registry>/agentauth/<name>`, or `agentauth/<name>` without a
 * registry (podman stores that as `localhost/agentauth/<name>`). The chart's default
 * `image.repository` values are the same `agentauth/<name>` under its `imageRegistry`.
 * @example imageRepository('web', 'ghcr.io/acme') // 'ghcr.io/acme/agentauth/web'
 */
export function imageRepository(name: ImageName, registry: string | undefined): string {
  const repository = `agentauth/${name}`;
  return registry ? `${registry.replace(/\/+$/, '')}/${repository}` : repository;
}
