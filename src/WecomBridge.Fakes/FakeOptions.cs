using WecomBridge.Fakes.Data;

namespace WecomBridge.Fakes;

/// <summary>Settings of a fake. Every time window reads <see cref="TimeProvider"/>, so tests control it.</summary>
public sealed class FakeOptions
{
    /// <summary>0 picks a free port.</summary>
    public int Port { get; set; }
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
    /// <summary>A fixture file; null means the embedded default (unless <see cref="Fixture"/> is set).</summary>
    public string? FixturePath { get; set; }
    /// <summary>Seed data already loaded; wins over <see cref="FixturePath"/>.</summary>
    public Fixture? Fixture { get; set; }
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(2);
    /// <summary>externalcontact/get returns this many follow users per page, then a next_cursor (real API: 500).</summary>
    public int FollowUserPageSize { get; set; } = 500;
    /// <summary>OA user/get page size (real API: 10,000).</summary>
    public int OpenIdPageSize { get; set; } = 10_000;
    public TimeSpan WelcomeCodeLifetime { get; set; } = TimeSpan.FromSeconds(20);
    public TimeSpan CustomMessageWindow { get; set; } = TimeSpan.FromHours(48);
    public TimeSpan ClientMsgIdWindow { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>
    /// The journal and WireMock's request log keep only the last this many calls (the journal between N and 2N);
    /// null keeps every call, as tests expect. `serve` keeps 1,000, so that a long run (the soak) does not grow.
    /// </summary>
    public int? KeepCalls { get; set; }

    internal Fixture LoadFixture() => Fixture ?? Fixture.Load(FixturePath);
}
