using System.Net;
using System.Net.Http.Json;
using Booking.Appointments.Contracts;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Decision 313 (3): the merge's own sweep after its commit (decision 293 (9)) re-points combined pets as the merge's
/// move did, so an appointment of the merged-away client that the move did not see, for a pet staff combined, names the
/// kept pet and not the deleted row. Since decision 299 the app saves no such appointment (its trigger refuses it once
/// the move recorded the merge), so the test writes the late row itself the way only a row from before that trigger
/// could be: with the trigger off for that one transaction, at the one moment it can matter (after the merge committed,
/// before its sweep), through a test-only pipeline step on <see cref="MoveClientAppointments"/> (<see cref="BeforeSweep"/>).
/// </summary>
public sealed class MergeSweepPetsTests(MergeSweepApp fixture) : IClassFixture<MergeSweepApp>
{
    private BookingApp App => fixture.App;

    private static Uri Api(string rest) => new("/api/v1/admin/clients" + rest, UriKind.Relative);

    private static async Task<Guid> WalkInAsync(TestBusiness biz, string first, string last, bool withMobile = true) =>
        (await (await biz.Owner.PostAsJsonAsync(Api(""), new
        {
            firstName = first, lastName = last, email = withMobile ? null : $"walk-{Guid.NewGuid():N}@client.example", mobile = withMobile ? MobileIn(biz.CountryCode) : null,
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<Guid> PetAsync(TestBusiness biz, Guid clientId, string name) =>
        (await (await biz.Owner.PostAsJsonAsync(Api($"/{clientId}/pets"), new { name, species = "dog" })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private async Task<(Guid Client, Guid Pet)> AppointmentAsync(Guid id) =>
        (await Sql.AdminScalarAsync<Guid>(App.Database.Database, "select client_id from appointments.appointments where id = @i", ("i", id)),
         await Sql.AdminScalarAsync<Guid>(App.Database.Database, "select pet_id from appointments.appointments where id = @i", ("i", id)));

    [Fact]
    public async Task An_appointment_the_merges_move_missed_for_a_combined_pet_is_swept_to_the_kept_client_naming_the_kept_pet()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var keep = await WalkInAsync(b.Biz, "Ana", "Souza");
        var away = await WalkInAsync(b.Biz, "Ana", "Souza", withMobile: false);
        var keptMia = await PetAsync(b.Biz, keep, "Mia");
        var theirMia = await PetAsync(b.Biz, away, "Mia");
        var late = Guid.NewGuid();

        // After the merge committed and before its own sweep: an appointment of the merged-away client for their Mia,
        // committed with the merge trigger off (a row it never judged).
        fixture.Sweep.Arm(away, async () =>
        {
            await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
            await held.ExecAsync("SET LOCAL session_replication_role = replica");
            var start = DateTimeOffset.Parse(At(Day(5), 10), null).ToUniversalTime();
            await held.ExecAsync("""
                INSERT INTO appointments.appointments (tenant_id, id, client_id, pet_id, diary_id, service_id, start_at, end_at, blocked_until,
                                                       status, source, created_at, updated_at)
                VALUES (@t, @id, @c, @p, @d, @s, @start, @end, @end, 'confirmed', 'staff', now(), now())
                """, ("t", b.Biz.Id), ("id", late), ("c", away), ("p", theirMia), ("d", b.DiaryId), ("s", b.ServiceId),
                ("start", start), ("end", start.AddHours(1)));
            await held.CommitAsync();
        });

        var merged = await b.Biz.Owner.PostAsJsonAsync(Api($"/{keep}/merge"), new { mergeId = away.ToString(), combinePets = new[] { new { fromPetId = theirMia, intoPetId = keptMia } } });
        await merged.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, fixture.Sweep.Fired); // the late row was written where the test meant it

        Assert.Equal(0, await Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from portalauth.pets where id = @i", ("i", theirMia)));
        Assert.Equal((keep, keptMia), await AppointmentAsync(late)); // before decision 313 (3): the kept client's, naming the deleted Mia
    }
}

/// <summary>An app of its own whose mediator runs <see cref="BeforeSweep"/>'s action once, before the merge's own sweep.</summary>
public sealed class MergeSweepApp : IAsyncLifetime
{
    public BookingApp App { get; private set; } = null!;

    public BeforeSweep Sweep { get; } = new();

    public async Task InitializeAsync()
    {
        // The shared app provisions the test roles; creating them from two fixtures at once races (23505).
        await new SharedApp().InitializeAsync();
        App = new HookedApp(await TestDatabaseServer.CreateDatabaseAsync("mergesweep"), Sweep);
        _ = App.Server;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    private sealed class HookedApp(Booking.BuildingBlocks.Postgres.ProvisionedDatabase database, BeforeSweep sweep) : BookingApp(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton(sweep);
                services.AddScoped(typeof(IPipelineBehavior<,>), typeof(SweepStep<,>));
            });
        }
    }

    private sealed class SweepStep<TMessage, TResponse>(BeforeSweep sweep, IHttpContextAccessor http) : IPipelineBehavior<TMessage, TResponse>
        where TMessage : notnull, IMessage
    {
        public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
        {
            // In the merge's request only (the ClientsMerged event's sweep runs in a job, without one).
            if (message is MoveClientAppointments move && http.HttpContext is not null && sweep.Take(move.FromClientId) is { } action)
            {
                await action();
            }

            return await next(message, cancellationToken);
        }
    }
}

/// <summary>
/// Armed for a merged-away client, runs its action once, before the second <see cref="MoveClientAppointments"/> of that
/// client in a request: the merge's own sweep after its commit (the first is the merge's move, before its commit).
/// </summary>
public sealed class BeforeSweep
{
    private readonly Lock gate = new();
    private Guid? away;
    private int seen;
    private Func<Task>? then;
    private int fired;

    public int Fired
    {
        get
        {
            lock (gate)
            {
                return fired;
            }
        }
    }

    public void Arm(Guid awayId, Func<Task> action)
    {
        lock (gate)
        {
            away = awayId;
            seen = 0;
            fired = 0;
            then = action;
        }
    }

    public Func<Task>? Take(Guid fromClientId)
    {
        lock (gate)
        {
            if (away != fromClientId || ++seen < 2)
            {
                return null;
            }

            away = null;
            fired++;
            var action = then;
            then = null;
            return action;
        }
    }
}
