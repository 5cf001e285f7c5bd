using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// A booking's save whose connection fails on the way (no answer from the server) may or may not have committed. It is
/// never tried again with the same id; the desk reads whether the appointment is there: if so, the booking is answered
/// as made; if not, 503 <c>booking-not-saved</c> with Retry-After, and the Idempotency-Key is free for the retry. The
/// lost answer is made by an interceptor that throws, as a broken connection does, right after the commit (or before).
/// </summary>
public sealed class LostCommitTests(LostCommitTests.App fixture) : IClassFixture<LostCommitTests.App>
{
    [Fact]
    public async Task A_portal_booking_whose_commit_answer_is_lost_is_answered_as_booked_once()
    {
        var b = await fixture.BookableAsync(durationMinutes: 60, bufferMinutes: 0);
        var alice = await fixture.RegisterClientAsync(b.Biz);
        var start = At(Day(5), 10);

        fixture.Losses.Arm(alice.Id, afterCommit: true);
        var booked = await alice.BookAsync(b, start, key: "lost-answer");
        var id = (await booked.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Assert.Equal(1, fixture.Losses.Thrown);
        Assert.Equal(1L, await CountAsync(b, alice.Id));
        Assert.Single(await fixture.OutboxAsync(b.Biz.Id, "AppointmentBooked"));

        // The client's retry with the same key gets the same booking; nothing is booked twice.
        var again = await alice.BookAsync(b, start, key: "lost-answer");
        Assert.Equal(id, (await again.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid());
        Assert.Equal(1L, await CountAsync(b, alice.Id));
    }

    [Fact]
    public async Task A_staff_booking_whose_commit_answer_is_lost_is_answered_as_booked_once()
    {
        var b = await fixture.BookableAsync(durationMinutes: 60, bufferMinutes: 0);
        var alice = await fixture.RegisterClientAsync(b.Biz);

        fixture.Losses.Arm(alice.Id, afterCommit: true);
        var booked = await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(5), 12), petId = (Guid?)null, note = "" });
        await booked.JsonAsync(HttpStatusCode.Created);
        Assert.Equal(1, fixture.Losses.Thrown);
        Assert.Equal(1L, await CountAsync(b, alice.Id));
    }

    [Fact]
    public async Task A_booking_whose_connection_fails_before_the_commit_is_503_not_saved_and_the_retry_books_it()
    {
        var b = await fixture.BookableAsync(durationMinutes: 60, bufferMinutes: 0);
        var alice = await fixture.RegisterClientAsync(b.Biz);
        var start = At(Day(5), 14);

        fixture.Losses.Arm(alice.Id, afterCommit: false);
        var failed = await alice.BookAsync(b, start, key: "lost-connection");
        Assert.Equal("booking-not-saved", await failed.KindAsync(HttpStatusCode.ServiceUnavailable));
        Assert.Equal(TimeSpan.FromSeconds(2), failed.Headers.RetryAfter?.Delta);
        Assert.Equal(1, fixture.Losses.Thrown);
        Assert.Equal(0L, await CountAsync(b, alice.Id));

        var retried = await alice.BookAsync(b, start, key: "lost-connection");
        await retried.JsonAsync(HttpStatusCode.Created);
        Assert.Equal(1L, await CountAsync(b, alice.Id));
    }

    private static Task<long> CountAsync(Bookable b, Guid clientId) =>
        Sql.AdminScalarAsync<long>(b.Biz.Database!, "SELECT count(*) FROM appointments.appointments WHERE tenant_id = @t AND client_id = @c", ("t", b.Biz.Id), ("c", clientId));

    /// <summary>An app of its own (its Appointments contexts carry the interceptor), on its own database.</summary>
    public sealed class App : IAsyncLifetime
    {
        private BookingApp? app;

        public LostAnswers Losses { get; } = new();

        public async Task InitializeAsync()
        {
            await new SharedApp().InitializeAsync(); // the shared app provisions the test roles first
            app = new WithLosses(await TestDatabaseServer.CreateDatabaseAsync("lost_commit"), Losses);
            await AppStarts.StartAsync(app);
        }

        public async Task DisposeAsync()
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }

        internal Task<Bookable> BookableAsync(int durationMinutes, int bufferMinutes) => app!.BookableAsync(durationMinutes, bufferMinutes);

        internal Task<PortalClient> RegisterClientAsync(TestBusiness biz) => app!.RegisterClientAsync(biz);

        public Task<List<string>> OutboxAsync(Guid tenantId, string eventType) => app!.OutboxAsync(tenantId, eventType);

        private sealed class WithLosses(Booking.BuildingBlocks.Postgres.ProvisionedDatabase database, LostAnswers losses) : BookingApp(database)
        {
            protected override void ConfigureWebHost(IWebHostBuilder builder)
            {
                base.ConfigureWebHost(builder);
                builder.ConfigureTestServices(services => services.ConfigureDbContext<AppointmentsDbContext>(options => options.AddInterceptors(losses)));
            }
        }
    }

    /// <summary>
    /// Once armed for a client, the next commit of a transaction saving that client's appointment throws what Npgsql
    /// throws when the connection breaks: after the server committed (the answer is lost) or before the commit was sent.
    /// </summary>
    public sealed class LostAnswers : DbTransactionInterceptor
    {
        private readonly Lock gate = new();
        private Guid? client;
        private bool afterCommit;
        private int thrown;

        public int Thrown
        {
            get
            {
                lock (gate)
                {
                    return thrown;
                }
            }
        }

        public void Arm(Guid clientId, bool afterCommit)
        {
            lock (gate)
            {
                this.afterCommit = afterCommit;
                thrown = 0;
                client = clientId;
            }
        }

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            ThrowIfArmed(eventData.Context, after: false);
            return ValueTask.FromResult(result);
        }

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            ThrowIfArmed(eventData.Context, after: true);
            return Task.CompletedTask;
        }

        private void ThrowIfArmed(DbContext? context, bool after)
        {
            lock (gate)
            {
                if (after != afterCommit || client is not { } armed || context is null
                    || !context.ChangeTracker.Entries<Appointment>().Any(e => e.Entity.ClientId == armed))
                {
                    return;
                }

                client = null;
                thrown++;
            }

            throw new NpgsqlException("Exception while reading from stream", new EndOfStreamException());
        }
    }
}
