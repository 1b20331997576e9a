// Deployment settings from CDK context: documented defaults, strings from `-c` accepted, and a bad
// value stops synth with a message naming the key.
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, readConfig } from '../../infra/config';

const from = (context: Record<string, unknown>) => readConfig((key) => context[key]);

describe('readConfig', () => {
  it('uses the documented defaults when the context is empty', () => {
    expect(from({})).toEqual({ ...DEFAULTS });
  });

  it('accepts numbers from cdk.json and digit strings from -c key=value', () => {
    expect(
      from({ stageName: 'prod', throttleRateLimit: '50', throttleBurstLimit: 80, logRetentionDays: '365' }),
    ).toMatchObject({
      stageName: 'prod',
      throttleRateLimit: 50,
      throttleBurstLimit: 80,
      logRetentionDays: RetentionDays.ONE_YEAR,
    });
  });

  it('passes the city to the functions as CITY_NAME, CITY_NAME_ZH and CITY_CENTER', () => {
    expect(
      from({ cityName: 'Hangzhou', cityNameZh: '杭州', cityCenter: '30.2722,120.1653' }).cityEnvironment,
    ).toEqual({
      CITY_NAME: 'Hangzhou',
      CITY_NAME_ZH: '杭州',
      CITY_CENTER: '30.2722,120.1653',
    });
    expect(from({ cityName: 'Hangzhou' }).cityEnvironment).toEqual({ CITY_NAME: 'Hangzhou' });
  });

  it('passes the open data publisher as PUBLISHER_COUNTRY and PUBLISHER_ID', () => {
    expect(from({ publisherCountry: 'CN', publisherId: 'hangzhou-parking' }).cityEnvironment).toEqual({
      PUBLISHER_COUNTRY: 'CN',
      PUBLISHER_ID: 'hangzhou-parking',
    });
  });

  it('lets props override the context', () => {
    expect(
      readConfig((key) => (key === 'stageName' ? 'dev' : undefined), { stageName: 'test' }).stageName,
    ).toBe('test');
  });

  it.each([
    [{ stageName: 'Prod_1' }, 'stageName'],
    [{ throttleRateLimit: '1e3' }, 'throttleRateLimit'],
    [{ throttleRateLimit: 0 }, 'throttleRateLimit'],
    [{ throttleRateLimit: 300, throttleBurstLimit: 100 }, 'throttleBurstLimit'],
    [{ historyRetentionDays: 4000 }, 'historyRetentionDays'],
    [{ logRetentionDays: 10 }, 'logRetentionDays'],
    [{ logRetentionDays: 9999 }, 'logRetentionDays'],
    [{ alarmEmail: 'ops' }, 'alarmEmail'],
    [{ cityCenter: '30.27' }, 'cityCenter'],
    [{ cityCenter: '91,0' }, 'cityCenter'],
    [{ cityName: 'Hang\u0007zhou' }, 'cityName'],
    [{ cityNameZh: 'x'.repeat(101) }, 'cityNameZh'],
    [{ publisherCountry: 'gb' }, 'publisherCountry'],
    [{ publisherCountry: 'QQ' }, 'publisherCountry'],
    [{ publisherId: 'caf\u00e9' }, 'publisherId'],
  ])('rejects %j, naming %s', (context, key) => {
    expect(() => from(context)).toThrow(ConfigError);
    expect(() => from(context)).toThrow(new RegExp(`^invalid CDK context:\\n  ${key}: `));
  });
});
