using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Jobs;
using Booking.BuildingBlocks.Messaging;
using Booking.BuildingBlocks.Outbox;
using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Host.Demo;
using Booking.Host.Infrastructure;
using Booking.Notifications;
using Booking.Appointments;
using Booking.PortalAuth;
using Booking.Roster;
using Booking.Services;
using Booking.Tenancy;
using Hangfire;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;
using Serilog;
using Serilog.Formatting.Compact;

var builder = WebApplication.CreateBuilder(args);
// Operator commands: `migrate`, `keys list` and `keys revoke --reason "…"` (KeyCommands). Each does its work and ends, serving nothing.
var keyCommand = KeyCommands.IsKeyCommand(args);
var migrateOnly = !keyCommand && args.Contains("migrate", StringComparer.Ordinal);

builder.Host.UseSerilog((context, services, logger) =>
{
    // ReadFrom.Services: sinks and enrichers registered as services join in (the tests' log capture does).
    logger.ReadFrom.Configuration(context.Configuration)
        .ReadFrom.Services(services)
        .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
        .MinimumLevel.Override("Microsoft.EntityFrameworkCore", Serilog.Events.LogEventLevel.Warning)
        .MinimumLevel.Override("Hangfire", Serilog.Events.LogEventLevel.Warning)
        .Enrich.FromLogContext();
    if (context.HostingEnvironment.IsDevelopment())
    {
        logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {TenantSlug} {RequestId} {SourceContext}: {Message:lj}{NewLine}{Exception}");
    }
    else
    {
        logger.WriteTo.Console(new RenderedCompactJsonFormatter());
    }
}, preserveStaticLogger: true); // each host its own logger: with Serilog's static one, every host in a process (the tests') logged through the last configured

// Every request body at most 1 MB unless its route declares more (decision 298; RequestBodyLimits).
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Booking.Host.Web.RequestBodyLimits.Configured(builder.Configuration));

var database = await DatabaseSetup.ResolveAsync(builder);
var services = builder.Services;
services.AddSingleton(database);
services.AddSingleton(TimeProvider.System);
services.AddMemoryCache();
services.AddProblemDetails();
services.AddSingleton<ProblemExceptionHandler>();
services.AddExceptionHandler<Booking.Host.Web.ApiErrorsOnly>();
services.AddOpenApi(options => options
    .AddSchemaTransformer(Booking.Host.Web.ConvertedTypesSchema.Restore)
    .AddOperationTransformer(Booking.Host.Web.ProblemAnswersDocument.Describe));
services.AddRazorPages().AddMvcOptions(options =>
{
    options.ModelBinderProviders.Insert(0, new Booking.Host.Web.YesNoBinderProvider());
    options.Filters.Add(new Booking.Host.Web.RefuseMalformedYesNo());
    options.Filters.Add(new Booking.Host.Web.ExpiredForms()); // a post whose antiforgery token failed: never a blank 400
});
services.AddHttpContextAccessor();
if (!migrateOnly && !keyCommand)
{
    PublicOrigin.RequireOutsideDevelopment(builder.Configuration, builder.Environment);
    SignInCodeKey.UseDevelopmentKey(builder.Configuration, builder.Environment); // before PortalAuth reads its options
}

services.AddSingleton<PublicOrigin>();

// Building blocks
services.AddScoped<TenantContext>();
services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
services.AddScoped<IStaffContext, StaffContext>();
services.AddScoped<TenantResolver>();
services.AddSingleton<OutboxSignal>();
services.AddSingleton<Booking.BuildingBlocks.Caching.ReferenceDataCache>();
services.AddHostedService<Booking.BuildingBlocks.Caching.ReferenceDataInvalidationListener>();
services.AddSingleton<PasswordHashing>();
services.AddSingleton(builder.Configuration.GetSection("PasswordThrottle").Get<PasswordThrottleOptions>() ?? new PasswordThrottleOptions());
services.AddSingleton<PasswordThrottle>();
services.AddSingleton<TrustedDevices>();
services.AddScoped<ITenantJobs, TenantJobs>();
services.AddTransient<IntegrationEventJob>();
services.AddTransient<TenantJobRunner>();
services.AddSingleton<DatabaseMigrator>();
services.AddPlainDatabase<PlatformDbContext>();
services.AddScoped<AddressLimits>(); // per-address caps across businesses: sign-ups, registrations

// Modules
services.AddTenancyModule();
services.AddRosterModule();
services.AddServicesModule();
services.AddAppointmentsModule();
services.AddPortalAuthModule();
services.AddNotificationsModule();

services.AddMediator((Mediator.MediatorOptions options) =>
{
    options.ServiceLifetime = ServiceLifetime.Scoped;
    // Every module with messages or handlers (a module without any is left out: the generator refuses it).
    // Contracts assemblies hold the integration events, so they are listed too.
    options.Assemblies =
    [
        typeof(TenancyModule), typeof(Booking.Tenancy.Contracts.BusinessSignedUp),
        typeof(NotificationsModule), typeof(Booking.Notifications.Contracts.ConfirmDiaryContact),
        typeof(AppointmentsModule), typeof(Booking.Appointments.Contracts.AppointmentBooked),
        typeof(RosterModule), typeof(Booking.Roster.Contracts.GetDiaries),
        typeof(ServicesModule), typeof(Booking.Services.Contracts.GetService),
        typeof(PortalAuthModule), typeof(Booking.PortalAuth.Contracts.GetClients),
    ];
    options.PipelineBehaviors = [typeof(ValidationBehavior<,>)];
});

// A query or route value that does not bind ("?limit=x") throws in every environment (the default throws only in
// Development; elsewhere minimal APIs answer a bare 400), so the exception handler names the parameter.
services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.Converters.Add(new Booking.BuildingBlocks.Problems.TextWithoutNulConverter());
    options.SerializerOptions.Converters.Add(new Booking.BuildingBlocks.Problems.TimeWithOffsetConverter());
});
var dataProtection = services.AddDataProtection().SetApplicationName("booking").PersistKeysToDbContext<PlatformDbContext>()
    // Reloaded when `keys revoke` notifies, and at least every few minutes (decision 238), not once a day.
    .RefreshKeyRingOnNotice(builder.Configuration.GetValue<TimeSpan?>(KeyRingRefresh.PeriodKey) ?? KeyRingRefresh.DefaultPeriod);
if (!migrateOnly)
{
    // Each key is stored encrypted with a certificate kept outside the database; `migrate` makes no keys.
    dataProtection.ProtectKeysOutsideTheDatabase(builder.Configuration, builder.Environment);
}

services.AddBookingAuthentication(builder.Environment);
var behindProxies = services.AddTrustedProxies(builder.Configuration);
services.AddBookingHangfire(database, builder.Configuration);
services.AddHealthChecks()
    .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
    .AddCheck<HangfireHealthCheck>("hangfire", tags: ["ready"]);
services.AddScoped<DemoSeeder>();
services.AddScoped<IDemoSeed, NotificationsDemoSeed>();
services.AddScoped<IDemoSeed, SchedulingDemoSeed>();
services.AddScoped<IDemoSeed, PortalAuthDemoSeed>();

var app = builder.Build();

var migrateOnStart = app.Configuration.GetValue("Database:MigrateOnStart", app.Environment.IsDevelopment());
if (migrateOnly || migrateOnStart)
{
    await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
    if (migrateOnly)
    {
        Console.WriteLine("Migrations applied.");
        return;
    }
}

if (keyCommand)
{
    // Keys made here are encrypted with the configured certificate, as every instance's are (KeyRingProtection).
    Environment.ExitCode = await KeyCommands.RunAsync(app.Services, args, Console.Out, Console.Error, CancellationToken.None);
    return;
}

// The codes' key now, not at the first code: a missing PortalAuth:CodeHashKey is warned of at start (SignInCodeKey).
app.Services.GetRequiredService<Booking.PortalAuth.Domain.SignInCodes>();

if (app.Environment.IsDevelopment() && app.Configuration.GetValue("Demo:Seed", true))
{
    await using var scope = app.Services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None);
}

if (behindProxies)
{
    app.UseForwardedHeaders(); // first: the limits and the cookies see the client and its scheme, not the proxy
}

app.UseMiddleware<Booking.Host.Web.SecurityHeadersMiddleware>(); // before the error handlers, so their answers carry the headers too
if (!app.Environment.IsDevelopment())
{
    app.UseHsts(); // HTTPS answers only (after the forwarded scheme), never for localhost
}

app.UseSerilogRequestLogging(options =>
{
    options.EnrichDiagnosticContext = (diagnostics, http) =>
    {
        diagnostics.Set("RequestId", http.TraceIdentifier);
        if (http.Items.TryGetValue(Diagnostics.TenantItem, out var slug))
        {
            diagnostics.Set("TenantSlug", slug);
        }
    };
});
// Pages (/ol, /staff) show an HTML error page in their own look; everything else answers problem details.
app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/error/500" });
app.UseWhen(http => Booking.Host.Web.ApiErrorsOnly.IsPage(http.Request.Path), pages => pages.UseStatusCodePagesWithReExecute("/error/{0}"));
app.UseStatusCodePages(async context =>
{
    var http = context.HttpContext;
    if (http.Request.Path.StartsWithSegments("/api") && !http.Response.HasStarted && http.Response.ContentLength is null)
    {
        var status = http.Response.StatusCode;
        var problem = status switch
        {
            404 => ProblemWriter.Create(ProblemKinds.NotFound, 404, "Not found", "No such route."),
            405 => ProblemWriter.Create("method-not-allowed", 405, "Method not allowed"),
            415 => ProblemWriter.Create(ProblemKinds.UnsupportedMediaType, 415, "Unsupported media type", "Send the body as application/json."),
            413 => ProblemWriter.ContentTooLarge(ProblemWriter.BodyLimit(http)), // a JSON body Kestrel cut off while it was read
            _ => ProblemWriter.Create("http-" + status, status, "Request failed"),
        };
        await ProblemWriter.WriteAsync(http, problem);
    }
});
app.UseMiddleware<QueryWithoutNulMiddleware>((Func<PathString, bool>)Booking.Host.Web.ApiErrorsOnly.IsPage);
app.UseMiddleware<LocalDevelopmentRoutesMiddleware>(); // /dev/* from this machine only, in every environment
app.UseMiddleware<SameOriginMiddleware>();
app.UseStaticFiles();
app.UseRouting();
app.UseMiddleware<Booking.Host.Web.RequestBodyLimitMiddleware>(); // after routing: the endpoint's own limit is known
app.UseMiddleware<JsonCharsetMiddleware>(); // a JSON body in a charset nobody can read: 415, never the reader's 500
app.UseMiddleware<SingleQueryValuesMiddleware>(); // before the tenant: a repeated ?name= is never resolved
app.UseMiddleware<TenantResolutionMiddleware>();

app.MapOpenApi("/openapi/{documentName}.json");
app.MapScalarApiReference("/scalar");
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
// The jobs dashboard exists in Development only (from loopback, LocalDevelopmentOnly). Elsewhere nobody may see it
// until platform operators exist, so it is not mapped: /hangfire is 404 like any unknown path, never the dashboard's
// own antiforgery call failing over plain HTTP (a 500 and an error in the log) before it refuses.
if (app.Environment.IsDevelopment())
{
    app.MapHangfireDashboard("/hangfire", new DashboardOptions
    {
        Authorization = [new LocalDevelopmentOnly(development: true)],
        DisplayStorageConnectionString = false,
    });
}

app.MapRazorPages();
app.MapTenancyEndpoints();
app.MapRosterEndpoints();
app.MapServicesEndpoints();
app.MapAppointmentsEndpoints();
app.MapPortalAuthEndpoints();
app.MapNotificationsEndpoints();

if (app.Environment.IsDevelopment())
{
    app.Lifetime.ApplicationStarted.Register(() =>
    {
        using var scope = app.Services.CreateScope(); // seeds are scoped (they use the scoped mediator)
        DemoSeeder.PrintWelcome(app.Urls, scope.ServiceProvider.GetServices<IDemoSeed>().OrderBy(s => s.Order).SelectMany(s => s.Describe()));
    });
}

await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
