using Booking.IntegrationTests.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// An app whose mediator fails on request: a request carrying the header X-Test-Fail makes every mediator message
/// throw, which is how a page meets an unhandled error (a database gone, a bug) in these tests.
/// </summary>
public sealed class PortalPagesApp : IAsyncLifetime
{
    public const string FailHeader = "X-Test-Fail";

    public BookingApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The shared app provisions the test roles; creating them from two fixtures at once races (23505).
        await new SharedApp().InitializeAsync();
        App = new FailingApp(await TestDatabaseServer.CreateDatabaseAsync("portalpages"));
        _ = App.Server;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    private sealed class FailingApp(Booking.BuildingBlocks.Postgres.ProvisionedDatabase database) : BookingApp(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddScoped(typeof(IPipelineBehavior<,>), typeof(FailOnRequest<,>)));
        }
    }

    private sealed class FailOnRequest<TMessage, TResponse>(IHttpContextAccessor http) : IPipelineBehavior<TMessage, TResponse>
        where TMessage : notnull, IMessage
    {
        public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken) =>
            http.HttpContext?.Request.Headers.ContainsKey(FailHeader) == true
                ? throw new InvalidOperationException("Test failure: secret stack detail")
                : next(message, cancellationToken);
    }
}
