#!/usr/bin/perl
# Harvests a whole OAI-PMH repository with Debian's HTTP::OAI (libhttp-oai-perl), as an
# aggregator would: ListRecords in oai_dc, the harvester following the resumption tokens
# itself. Prints one line per record: identifier, then "deleted" or the first dc:title.
# Exit non-zero with the message on any error.
use strict;
use warnings;
use HTTP::OAI;
use HTTP::OAI::Metadata::OAI_DC;

binmode STDOUT, ':encoding(UTF-8)';
my ($base) = @ARGV or die "usage: harvest.pl BASE_URL\n";
my $h = HTTP::OAI::Harvester->new(baseURL => $base);
my $id = $h->Identify;
die 'Identify: ' . $id->message . "\n" if $id->is_error;
$h->repository($id);
my $r = $h->ListRecords(
	metadataPrefix => 'oai_dc',
	handlers => {metadata => 'HTTP::OAI::Metadata::OAI_DC'},
	onRecord => sub {
		my $rec = shift;
		my $title = $rec->is_deleted ? 'deleted' : $rec->metadata->dc->{title}[0];
		printf "%s\t%s\n", $rec->identifier, $title;
	},
);
die 'ListRecords: ' . $r->message . "\n" if $r->is_error;
